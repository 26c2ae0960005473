using Microsoft.Extensions.Options;

namespace Touchpoint.Jobs;

/// <summary>Queue tuning, section <c>Touchpoint:Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Touchpoint:Scheduler";

    /// <summary>Worker loops in this process; 0 runs none (API-only node; the manual clock still drains).</summary>
    public int Workers { get; set; } = 1;
    public int ClaimBatch { get; set; } = 10;
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Wall-clock pause when a worker found nothing due.</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Wall-clock period of the reaper and the recurring schedule.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(15);
    public int MaxAttempts { get; set; } = 8;
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan RetryCap { get; set; } = TimeSpan.FromHours(1);
}

sealed class SchedulerOptionsValidation : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions o)
    {
        var errors = new List<string>();
        if (o.Workers is < 0 or > 64) errors.Add("Workers must be between 0 and 64.");
        if (o.ClaimBatch is < 1 or > 1000) errors.Add("ClaimBatch must be between 1 and 1000.");
        if (o.Lease < TimeSpan.FromSeconds(1)) errors.Add("Lease must be at least 1 second.");
        if (o.IdlePoll < TimeSpan.FromMilliseconds(10)) errors.Add("IdlePoll must be at least 10 ms.");
        if (o.TickInterval < TimeSpan.FromMilliseconds(10)) errors.Add("TickInterval must be at least 10 ms.");
        if (o.MaxAttempts is < 1 or > 100) errors.Add("MaxAttempts must be between 1 and 100.");
        if (o.RetryBase <= TimeSpan.Zero || o.RetryCap < o.RetryBase) errors.Add("RetryBase must be positive and no larger than RetryCap.");
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"{SchedulerOptions.Section}: {e}"));
    }
}
