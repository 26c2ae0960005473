using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Campaigns;

/// <summary>
/// The cadence part of the workspace's ACTIVE strategy version (seed 001): its follow-up preset and interval
/// overrides. Precedence for the delay before a step: the step's <c>delayMinutes</c> &gt; the campaign's
/// (its interval overrides, its preset) &gt; the active strategy's &gt; the default (BALANCED). A campaign that
/// names its own preset owns its cadence: the strategy's interval overrides then do not apply to it. Read at
/// every decision, so activating or rolling back a strategy changes what the next touch uses.
/// </summary>
public sealed record StrategyDefaults(FollowUpPreset Preset, IntervalOverrides? IntervalOverrides)
{
    /// <summary>The policy with what it leaves out filled from <paramref name="strategy"/> (unchanged when null).</summary>
    public static CampaignPolicy Apply(CampaignPolicy policy, StrategyDefaults? strategy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (strategy is null) return policy;
        return policy with
        {
            Preset = policy.Preset ?? strategy.Preset,
            IntervalOverrides = policy.IntervalOverrides ?? (policy.Preset is null ? strategy.IntervalOverrides : null),
        };
    }

    public static CampaignPlan Apply(CampaignPlan plan, StrategyDefaults? strategy)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return strategy is null ? plan : plan with { Policy = Apply(plan.Policy, strategy) };
    }
}
