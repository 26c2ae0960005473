using System.Text.Json.Serialization;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Fallback;

/// <summary>
/// A step's fallback routing (seed 004 "routing.fallback"): channels in preference order, attempts allowed per
/// channel, and minutes between attempts on the same channel (also the reply window after a successful send).
/// </summary>
public sealed record FallbackRouting(IReadOnlyList<Channel> Order, int MaxAttempts, int CooldownMinutes)
{
    [JsonIgnore]
    public TimeSpan Cooldown => TimeSpan.FromMinutes(CooldownMinutes);
}

/// <summary>One attempt already made in this step.</summary>
public sealed record ChannelAttempt(Channel Channel, DateTimeOffset At);

/// <summary>
/// Everything the engine decides from. <see cref="Attempts"/> includes the latest attempt (on
/// <see cref="CurrentChannel"/>) whose outcome is <see cref="LatestOutcome"/>. <see cref="AllowedChannels"/>
/// are the channels the contact can currently be reached on (policy, consent and known-dead addresses applied).
/// </summary>
public sealed record FallbackSituation(
    FallbackRouting Routing,
    IReadOnlyList<ChannelAttempt> Attempts,
    IReadOnlySet<Channel> AllowedChannels,
    Channel CurrentChannel,
    DeliveryOutcome LatestOutcome,
    DateTimeOffset Now);
