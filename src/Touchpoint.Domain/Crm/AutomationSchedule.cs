using Cronos;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;

namespace Touchpoint.Domain.Crm;

/// <summary>
/// When a time_window rule fires for one contact: its schedule is read in the CONTACT's local time (9:00 means
/// 9:00 where the person is). Two notations: a five-field cron expression (Cronos) or an iCalendar RRULE
/// (RFC 5545, via Ical.Net) such as <c>FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9;BYMINUTE=30</c>. Local times that do
/// not exist (DST gap) move forward; ambiguous ones (DST overlap) take the earlier instant.
/// </summary>
public static class AutomationSchedule
{
    public static bool IsRrule(string schedule) =>
        schedule.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase) || schedule.Contains("FREQ=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when valid, else why not.</summary>
    public static string? Validate(string? schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule)) return "is required for time_window rules (cron or RRULE).";
        try
        {
            if (IsRrule(schedule)) _ = new RecurrenceRule(StripPrefix(schedule));
            else _ = CronExpression.Parse(schedule);
            return null;
        }
        catch (Exception e) when (e is CronFormatException or ArgumentException or FormatException or InvalidOperationException)
        {
            return $"'{schedule}' is neither a five-field cron expression nor an RRULE: {e.Message}";
        }
    }

    /// <summary>The latest occurrence in (<paramref name="after"/>, <paramref name="upTo"/>] in <paramref name="zone"/>, if any.</summary>
    public static Instant? LatestOccurrence(string schedule, DateTimeZone zone, Instant after, Instant upTo)
    {
        Instant? latest = null;
        foreach (var occurrence in Occurrences(schedule, zone, after, upTo)) latest = occurrence;
        return latest;
    }

    public static IEnumerable<Instant> Occurrences(string schedule, DateTimeZone zone, Instant after, Instant upTo)
    {
        if (upTo <= after) yield break;
        if (!IsRrule(schedule))
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone.Id);
            foreach (var o in CronExpression.Parse(schedule).GetOccurrences(after.ToDateTimeUtc(), upTo.ToDateTimeUtc(), tz,
                         fromInclusive: false, toInclusive: true))
                yield return Instant.FromDateTimeUtc(o);
            yield break;
        }

        // Evaluate the rule in floating local time (no zone inside Ical.Net), then place each local time in the
        // contact's zone with NodaTime, so DST handling is the same as everywhere else in Touchpoint.
        var startLocal = after.InZone(zone).LocalDateTime.Date.PlusDays(-1).AtMidnight();
        var evaluator = new RecurrencePatternEvaluator(new RecurrenceRule(StripPrefix(schedule)));
        var seed = new CalDateTime(startLocal.ToDateTimeUnspecified(), tzId: null, hasTime: true);
        foreach (var period in evaluator.Evaluate(seed, seed, null))
        {
            var local = LocalDateTime.FromDateTime(period.StartTime.Value);
            var instant = local.InZoneLeniently(zone).ToInstant();
            if (instant > upTo) yield break;
            if (instant > after) yield return instant;
        }
    }

    /// <summary>
    /// The contact's zone, in the same order the policy engine uses for quiet hours: address override → contact →
    /// phone number inference → workspace → UTC.
    /// </summary>
    public static DateTimeZone ContactZone(string? addressZone, string? contactZone, string? phone, string? workspaceZone) =>
        Policy.TimeZoneCatalog.Find(addressZone) ?? Policy.TimeZoneCatalog.Find(contactZone)
        ?? Policy.TimeZoneCatalog.Find(phone is null ? null : Policy.PhoneNumberGeography.Describe(phone).ZoneId)
        ?? Policy.TimeZoneCatalog.Find(workspaceZone) ?? DateTimeZone.Utc;

    static string StripPrefix(string schedule) =>
        schedule.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase) ? schedule[6..] : schedule;
}
