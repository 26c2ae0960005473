using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Contacts;

public sealed record TimelineQuery(string? Cursor, int? Limit);

public sealed record TimelineEventView(
    Guid Id, string EventType, string Source, Channel? Channel, Direction? Direction, JsonElement Payload, int ScoreDelta,
    DateTimeOffset CreatedAt)
{
    public static TimelineEventView From(MemoryEvent e) =>
        new(e.Id, e.EventType, e.Source, e.Channel, e.Direction, JsonSerializer.Deserialize<JsonElement>(e.PayloadJson),
            e.ScoreDelta, e.CreatedAt);
}

public sealed record TimelinePage(List<TimelineEventView> Items, string? NextCursor);

/// <summary>Reads a contact's memory events newest first, paged by a (created_at, id) keyset cursor.</summary>
public sealed class ContactTimeline(TouchpointDb db)
{
    /// <summary>Null when the contact does not exist in the caller's workspace.</summary>
    public async Task<TimelinePage?> PageAsync(Guid contactId, (DateTimeOffset At, Guid Id)? after, int limit, CancellationToken ct)
    {
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId, ct)) return null;
        var query = db.MemoryEvents.AsNoTracking().Where(e => e.ContactId == contactId);
        if (after is { } c)
            query = query.Where(e => e.CreatedAt < c.At || (e.CreatedAt == c.At && e.Id.CompareTo(c.Id) < 0));
        var page = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var next = page.Count > limit ? FormatCursor(page[limit - 1]) : null;
        return new TimelinePage([.. page.Take(limit).Select(TimelineEventView.From)], next);
    }

    static string FormatCursor(MemoryEvent e) => $"{e.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}_{e.Id}";

    public static bool TryParseCursor(string cursor, out (DateTimeOffset At, Guid Id) value)
    {
        value = default;
        var parts = cursor.Split('_');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParse(parts[1], out var id)) return false;
        value = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
