using NodaTime;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// The hours in which a US recipient may be called or texted, in their local time, plus the state's
/// per-subject limit. Applies to phone channels only (ARCHITECTURE §10).
/// </summary>
sealed class LegalCallingWindow
{
    static readonly LocalTime Eight = new(8, 0), Nine = new(9, 0), Noon = new(12, 0), Eight_Pm = new(20, 0), Nine_Pm = new(21, 0);

    // TCPA, 47 CFR 64.1200(c)(1): no solicitation before 8 a.m. or after 9 p.m. at the called party's location.
    public static readonly LegalCallingWindow Federal = new("US", "TCPA 47 CFR 64.1200(c)(1)", _ => (Eight, Nine_Pm), null);

    // Florida Telephone Solicitation Act, Fla. Stat. 501.059(8)(a): 8 a.m.–8 p.m., at most 3 calls/texts
    // per 24 h on the same subject matter.
    public static readonly LegalCallingWindow Florida = new("US-FL", "FTSA Fla. Stat. 501.059(8)", _ => (Eight, Eight_Pm), 3);

    // Oklahoma Telephone Solicitation Act (2022), 15 O.S. 775C.4: same hours and 3-per-24 h limit as Florida.
    public static readonly LegalCallingWindow Oklahoma = new("US-OK", "OTSA 15 O.S. 775C.4", _ => (Eight, Eight_Pm), 3);

    // Maryland Stop the Spam Calls Act (2023), Md. Com. Law 14-4502: 8 a.m.–8 p.m., 3 per 24 h same subject.
    public static readonly LegalCallingWindow Maryland = new("US-MD", "Md. Com. Law 14-4502", _ => (Eight, Eight_Pm), 3);

    // Washington RCW 80.36.390: no solicitation before 8 a.m. or after 8 p.m.
    public static readonly LegalCallingWindow Washington = new("US-WA", "RCW 80.36.390", _ => (Eight, Eight_Pm), null);

    // Texas Bus. & Com. Code 301.051: 9 a.m.–9 p.m. Monday–Saturday, noon–9 p.m. Sunday.
    public static readonly LegalCallingWindow Texas = new("US-TX", "Tex. Bus. & Com. Code 301.051",
        day => day == IsoDayOfWeek.Sunday ? (Noon, Nine_Pm) : (Nine, Nine_Pm), null);

    readonly Func<IsoDayOfWeek, (LocalTime Start, LocalTime End)> hoursOn;

    LegalCallingWindow(string name, string citation, Func<IsoDayOfWeek, (LocalTime, LocalTime)> hoursOn, int? subjectLimit)
    {
        Name = name;
        Citation = citation;
        this.hoursOn = hoursOn;
        SubjectLimitPer24Hours = subjectLimit;
        PassDetail = $"within the {name} calling window ({citation})";
        SubjectPassDetail = $"{name}: under {subjectLimit} calls/texts per 24 h on this subject";
    }

    /// <summary>"US" or "US-XX".</summary>
    public string Name { get; }
    public string Citation { get; }

    /// <summary>Calls/texts allowed per rolling 24 h on one subject; null when the state sets no limit.</summary>
    public int? SubjectLimitPer24Hours { get; }
    public string PassDetail { get; }
    public string SubjectPassDetail { get; }

    public static LegalCallingWindow ForState(string? usState) =>
        Is(usState, "FL") ? Florida
        : Is(usState, "OK") ? Oklahoma
        : Is(usState, "MD") ? Maryland
        : Is(usState, "WA") ? Washington
        : Is(usState, "TX") ? Texas
        : Federal;

    static bool Is(string? state, string code) => string.Equals(state?.Trim(), code, StringComparison.OrdinalIgnoreCase);

    /// <summary>Allowed local hours [Start, End) on a given weekday.</summary>
    public (LocalTime Start, LocalTime End) HoursOn(IsoDayOfWeek day) => hoursOn(day);

    public bool Allows(LocalDateTime local)
    {
        var (start, end) = hoursOn(local.DayOfWeek);
        return local.TimeOfDay >= start && local.TimeOfDay < end;
    }

    /// <summary>The next instant at which the window opens, after <paramref name="local"/>.</summary>
    public Instant NextOpeningAfter(ZonedDateTime local)
    {
        var date = local.Date;
        var (start, _) = hoursOn(date.DayOfWeek);
        if (local.TimeOfDay >= start) date = date.PlusDays(1);
        return LocalClock.FirstInstantAfter(date + hoursOn(date.DayOfWeek).Start, local.Zone, local.ToInstant());
    }
}
