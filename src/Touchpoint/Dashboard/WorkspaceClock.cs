using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Touchpoint.Auth;
using Touchpoint.Data;

namespace Touchpoint.Dashboard;

/// <summary>The signed-in workspace and its time zone: "today" and every time shown are in the workspace's zone.</summary>
public sealed class WorkspaceClock(TouchpointDb db, TimeProvider clock)
{
    public Guid WorkspaceId { get; private set; }
    public string Name { get; private set; } = "";
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;
    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task LoadAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        WorkspaceId = user.WorkspaceId();
        var ws = await db.Workspaces.AsNoTracking().Where(w => w.Id == WorkspaceId)
            .Select(w => new { w.Name, w.Timezone }).SingleAsync(ct);
        Name = ws.Name;
        Zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(ws.Timezone) ?? DateTimeZone.Utc;
    }

    /// <summary>[start, end) of the workspace's current local day, as instants (DST days are 23 or 25 hours).</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Today()
    {
        var date = Instant.FromDateTimeOffset(Now).InZone(Zone).Date;
        // As UTC instants: Npgsql refuses a non-zero offset for timestamptz parameters.
        return (Zone.AtStartOfDay(date).ToInstant().ToDateTimeOffset(), Zone.AtStartOfDay(date.PlusDays(1)).ToInstant().ToDateTimeOffset());
    }

    public string Format(DateTimeOffset? at) => at is { } t
        ? Instant.FromDateTimeOffset(t).InZone(Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : "—";

    public string TodayLabel() =>
        Instant.FromDateTimeOffset(Now).InZone(Zone).Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + Zone.Id;

    /// <summary>"3 h 5 min" style age of an instant relative to now; negative ages (future) read "in …".</summary>
    public string Age(DateTimeOffset at)
    {
        var span = Now - at;
        var future = span < TimeSpan.Zero;
        span = span.Duration();
        var text = span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalMinutes} min";
        return future ? "in " + text : text + " ago";
    }
}
