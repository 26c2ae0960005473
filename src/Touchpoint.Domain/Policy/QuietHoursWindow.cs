using NodaTime;
using NodaTime.Text;

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
        return LocalClock.FirstInstantAfter(date + End, local.Zone, local.ToInstant());
    }

    public override string ToString() => ClockText.Range(Start, End);
}

/// <summary>Maps a recipient's wall-clock time to an instant across DST transitions.</summary>
static class LocalClock
{
    /// <summary>
    /// The instant at which the recipient's clock next shows <paramref name="local"/> after
    /// <paramref name="after"/>. In a gap (spring forward) that is the first valid instant after the gap, so a
    /// window never opens early; in an overlap (fall back) the earlier occurrence, unless it is already past.
    /// </summary>
    public static Instant FirstInstantAfter(LocalDateTime local, DateTimeZone zone, Instant after)
    {
        var mapping = zone.MapLocal(local);
        return mapping.Count switch
        {
            0 => mapping.LateInterval.Start,
            1 => mapping.Single().ToInstant(),
            _ => mapping.First().ToInstant() > after ? mapping.First().ToInstant() : mapping.Last().ToInstant(),
        };
    }
}
