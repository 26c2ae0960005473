using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Campaigns;

/// <summary>What a follow-up preset means when the plan does not say otherwise.</summary>
public sealed record CadenceDefaults(TimeSpan Interval, int MaxTouchesPerDay, int MaxTouchesPerWeek);

/// <summary>
/// Defaults per <see cref="FollowUpPreset"/> (seed 001). Caps are per contact across channels.
/// GENTLE (3 days, 1/day, 3/week): nurture and warm lists, about one touch every few days.
/// BALANCED (1 day, 2/day, 5/week): a working-week sequence that still leaves room for one same-day fallback.
/// AGGRESSIVE (4 hours, 3/day, 10/week): fresh inbound leads; 3/day matches the strictest state limit on
/// calls about the same subject (FL/OK: 3 per 24 h), so the preset cannot push a campaign past it.
/// </summary>
public static class CadencePresets
{
    /// <summary>The preset when neither the campaign nor the workspace's active strategy names one.</summary>
    public const FollowUpPreset DefaultPreset = FollowUpPreset.Balanced;

    public static CadenceDefaults For(FollowUpPreset? preset) => For(preset ?? DefaultPreset);

    public static CadenceDefaults For(FollowUpPreset preset) => preset switch
    {
        FollowUpPreset.Gentle => new(TimeSpan.FromDays(3), 1, 3),
        FollowUpPreset.Balanced => new(TimeSpan.FromDays(1), 2, 5),
        FollowUpPreset.Aggressive => new(TimeSpan.FromHours(4), 3, 10),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown follow-up preset."),
    };

    /// <summary>
    /// Delay before step <paramref name="stepIndex"/> (from enrollment for step 0, else from the previous
    /// step's send). Precedence: the step's own delayMinutes, then intervalOverrides.byStep[index], then
    /// intervalOverrides.defaultMinutes, then the preset interval (step 0 defaults to no delay).
    /// </summary>
    public static TimeSpan DelayBeforeStep(CampaignPlan plan, int stepIndex)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stepIndex, plan.Steps.Count);
        if (plan.Steps[stepIndex].DelayMinutes is { } own) return TimeSpan.FromMinutes(own);
        var overrides = plan.Policy.IntervalOverrides;
        if (overrides?.ByStep is { } byStep && byStep.TryGetValue(stepIndex, out var minutes)) return TimeSpan.FromMinutes(minutes);
        if (overrides?.DefaultMinutes is { } all) return TimeSpan.FromMinutes(all);
        return stepIndex == 0 ? TimeSpan.Zero : For(plan.Policy.Preset).Interval;
    }

    /// <summary>The policy's caps, or the preset's where the policy leaves them out.</summary>
    public static (int PerDay, int PerWeek) EffectiveCaps(CampaignPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var defaults = For(policy.Preset);
        return (policy.MaxTouchesPerDay ?? defaults.MaxTouchesPerDay, policy.MaxTouchesPerWeek ?? defaults.MaxTouchesPerWeek);
    }
}
