using System.Text.Json;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Campaigns;

namespace Touchpoint.Features.Campaigns;

/// <summary>The cadence the campaigns of a workspace inherit from its ACTIVE strategy version (docs/campaigns.md).</summary>
public static class StrategyCadence
{
    /// <summary>
    /// Null without an active version. <c>intervalOverrides</c> has the campaign's shape (<c>{defaultMinutes, byStep}</c>);
    /// anything else in it is ignored rather than failing every touch of the workspace.
    /// </summary>
    public static StrategyDefaults? From(StrategyVersion? active)
    {
        if (active is null) return null;
        IntervalOverrides? overrides = null;
        try
        {
            overrides = JsonSerializer.Deserialize<IntervalOverrides>(active.IntervalOverridesJson, PlanHash.JsonOptions);
        }
        catch (JsonException)
        {
        }
        if (overrides is { DefaultMinutes: null, ByStep: null or { Count: 0 } }) overrides = null;
        return new StrategyDefaults(active.FollowUpPreset, overrides);
    }
}
