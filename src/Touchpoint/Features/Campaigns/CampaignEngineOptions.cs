using Cronos;
using Microsoft.Extensions.Options;

namespace Touchpoint.Features.Campaigns;

/// <summary>The touch orchestrator, reactivation and simulation settings (docs/campaigns.md "Orchestrator").</summary>
public sealed class CampaignEngineOptions
{
    public const string Section = "Touchpoint:Campaigns";

    /// <summary>How often due enrollments are swept (cron, UTC). Failures and fallbacks do not wait for it.</summary>
    public string TickCron { get; set; } = "* * * * *";

    /// <summary>Enrollments read per query while sweeping.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Enrollments one tick processes before it hands the rest to a continuation job.</summary>
    public int MaxPerTick { get; set; } = 2000;

    /// <summary>How long a claimed enrollment is hidden from other workers; a crashed worker's claim ends then.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When the reactivation orchestrator looks for contacts to re-enroll (cron, UTC).</summary>
    public string ReactivationCron { get; set; } = "*/30 * * * *";

    /// <summary>After an enrollment ends UNREACHABLE, the contact may be reactivated this much later.</summary>
    public TimeSpan ReactivationAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Most contacts one simulation runs over (the rest are counted but not simulated).</summary>
    public int SimulationMaxContacts { get; set; } = 5000;
}

sealed class CampaignEngineOptionsValidation : IValidateOptions<CampaignEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, CampaignEngineOptions o)
    {
        var errors = new List<string>();
        if (!IsCron(o.TickCron)) errors.Add("TickCron must be a five-field cron expression.");
        if (!IsCron(o.ReactivationCron)) errors.Add("ReactivationCron must be a five-field cron expression.");
        if (o.BatchSize is < 1 or > 5000) errors.Add("BatchSize must be between 1 and 5000.");
        if (o.MaxPerTick < 1) errors.Add("MaxPerTick must be at least 1.");
        if (o.ClaimLease < TimeSpan.FromSeconds(1)) errors.Add("ClaimLease must be at least 1 second.");
        if (o.ReactivationAfter <= TimeSpan.Zero) errors.Add("ReactivationAfter must be positive.");
        if (o.SimulationMaxContacts is < 1 or > 100_000) errors.Add("SimulationMaxContacts must be between 1 and 100000.");
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"{CampaignEngineOptions.Section}: {e}"));
    }

    static bool IsCron(string? text)
    {
        try { CronExpression.Parse(text ?? ""); return true; }
        catch (CronFormatException) { return false; }
    }
}
