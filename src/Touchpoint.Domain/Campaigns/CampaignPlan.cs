using System.Text.Json.Serialization;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Campaigns;

/// <summary>A campaign plan version: policy plus ordered steps (ARCHITECTURE §3, §10 POST /campaigns).</summary>
public sealed record CampaignPlan(CampaignPolicy Policy, IReadOnlyList<CampaignStep> Steps);

/// <summary>
/// Campaign-wide rules. Null caps fall back to the preset's (see <see cref="CadencePresets"/>). A null
/// <see cref="Preset"/> or <see cref="IntervalOverrides"/> is taken from the workspace's active strategy
/// (<see cref="StrategyDefaults"/>), else BALANCED.
/// <see cref="QuietHours"/> is when nothing is sent, in the recipient's local time.
/// </summary>
public sealed record CampaignPolicy(
    QuietHours? QuietHours,
    int? MaxTouchesPerDay,
    int? MaxTouchesPerWeek,
    IReadOnlyList<Channel> AllowedChannels,
    FollowUpPreset? Preset,
    IntervalOverrides? IntervalOverrides = null);

/// <summary>Local-time window with no sends; may wrap midnight (21:00–08:00). Start inclusive, end exclusive.</summary>
public sealed record QuietHours(
    [property: JsonConverter(typeof(HourMinuteJsonConverter))] TimeOnly Start,
    [property: JsonConverter(typeof(HourMinuteJsonConverter))] TimeOnly End)
{
    public bool Contains(TimeOnly localTime) => Start <= End
        ? localTime >= Start && localTime < End
        : localTime >= Start || localTime < End;
}

/// <summary>Overrides of the preset interval: for every step, or for particular step indexes (0-based).</summary>
public sealed record IntervalOverrides(int? DefaultMinutes = null, IReadOnlyDictionary<int, int>? ByStep = null);

/// <summary>
/// One step. <see cref="DelayMinutes"/> counts from the previous step's send (step 0: from enrollment); null
/// means the preset cadence. <see cref="Fallback"/> null means only <see cref="Channel"/>, one attempt.
/// </summary>
public sealed record CampaignStep(
    Channel Channel,
    string Template,
    int? DelayMinutes = null,
    FallbackRouting? Fallback = null,
    IReadOnlyList<string>? StopOnEvents = null,
    int? ExpiresAfterMinutes = null,
    string? TemplateKey = null,
    string? Provider = null)
{
    [JsonIgnore]
    public FallbackRouting EffectiveFallback => Fallback ?? new FallbackRouting([Channel], MaxAttempts: 1, CooldownMinutes: 0);
}
