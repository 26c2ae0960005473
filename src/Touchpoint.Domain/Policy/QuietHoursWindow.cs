using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// A campaign's quiet hours: the local period [Start, End) in which nothing is sent. Start after End wraps
/// midnight (21:00–08:00); Start equal to End is an empty window.
/// </summary>
public sealed record QuietHoursWindow(LocalTime Start, LocalTime End)
{
    static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    /// <summary>Parses the API's <c>"HH:mm"</c> form, e.g. <c>Parse("21:00", "08:00")</c>.</summary>
    public static QuietHoursWindow Parse(string start, string end) =>
        new(HourMinute.Parse(start).GetValueOrThrow(), HourMinute.Parse(end).GetValueOrThrow());

    public bool IsEmpty => Start == End;

    public bool Contains(LocalTime time) => Start <= End
        ? time >= Start && time < End
        : time >= Start || time < End;

    /// <summary>The first instant after <paramref name="local"/> at which the quiet period is over.</summary>
    public Instant EndsAfter(ZonedDateTime local)
    {
        var date = local.Date;
        // Wrapping window, evening part: it ends tomorrow morning.
        if (Start > End && local.TimeOfDay >= Start) date = date.PlusDays(1);
        return LocalClock.FirstInstantAtOrAfter(date + End, local.Zone);
    }

    public override string ToString() => $"{HourMinute.Format(Start)}–{HourMinute.Format(End)}";
}

/// <summary>Maps a recipient's wall-clock time to an instant across DST transitions.</summary>
static class LocalClock
{
    // Gap (spring forward): the first valid instant after it, so a window never opens "early".
    // Overlap (fall back): the earlier instant, so a window opens at its first occurrence.
    static readonly ZoneLocalMappingResolver FirstValid =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    public static Instant FirstInstantAtOrAfter(LocalDateTime local, DateTimeZone zone) =>
        zone.ResolveLocal(local, FirstValid).ToInstant();
}
