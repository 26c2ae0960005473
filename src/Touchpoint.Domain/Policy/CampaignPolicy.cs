using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// The campaign's own limits (ARCHITECTURE §10 <c>policy</c>). Null caps mean "no cap"; caps count
/// touches to the contact from any campaign in rolling windows (24 h / 7 days).
/// </summary>
public sealed record CampaignPolicy(Guid CampaignId, CampaignStatus Status)
{
    /// <summary>The period in which nothing is sent, in the recipient's local time.</summary>
    public QuietHoursWindow? QuietHours { get; init; }
    public int? MaxTouchesPerDay { get; init; }
    public int? MaxTouchesPerWeek { get; init; }

    /// <summary>Per-channel cap over a rolling 24 h.</summary>
    public IReadOnlyDictionary<Channel, int>? ChannelDailyCaps { get; init; }

    /// <summary>Null or empty means every channel is allowed.</summary>
    public IReadOnlyList<Channel>? AllowedChannels { get; init; }

    /// <summary>Contacts whose fatigue score is at or above this are left alone; null disables the rule.</summary>
    public int? FatigueThreshold { get; init; }
}
