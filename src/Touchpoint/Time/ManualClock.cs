namespace Touchpoint.Time;

/// <summary>
/// A clock that only moves when told to (<c>Clock:Mode=Manual</c>): it lets the simulator and black-box
/// tests run multi-day cadences, quiet hours and DST transitions without sleeping.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    readonly Lock gate = new();
    DateTimeOffset now = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate) return now;
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (gate) return now += by;
    }
}

public sealed class ClockOptions
{
    public const string Section = "Clock";
    public string Mode { get; set; } = "System";
    /// <summary>Where a manual clock starts; defaults to the system time at start-up.</summary>
    public DateTimeOffset? Start { get; set; }

    public bool IsManual => string.Equals(Mode, "Manual", StringComparison.OrdinalIgnoreCase);

    public static ClockOptions From(IConfiguration config)
    {
        var options = config.GetSection(Section).Get<ClockOptions>() ?? new ClockOptions();
        if (!options.IsManual && !string.Equals(options.Mode, "System", StringComparison.OrdinalIgnoreCase))
            throw new Hosting.ConfigurationException($"Clock:Mode '{options.Mode}' is unknown; use System or Manual.");
        return options;
    }
}
