using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Policy;

/// <summary>Rules 7–9: fatigue, workspace budget tier and campaign status. None is cured by waiting.</summary>
static class StandingRules
{
    public static RuleCheck Fatigue(PolicyRequest r)
    {
        if (r.Campaign?.FatigueThreshold is not { } threshold)
            return RuleCheck.Skip(PolicyRuleNames.Fatigue, "no fatigue threshold");
        return r.Contact.FatigueScore >= threshold
            ? RuleCheck.Deny(PolicyRuleNames.Fatigue, PolicyReasonCodes.Fatigue,
                $"fatigue score {r.Contact.FatigueScore} at or above threshold {threshold}")
            : RuleCheck.Pass(PolicyRuleNames.Fatigue, "fatigue under threshold");
    }

    public static RuleCheck BudgetTier(PolicyRequest r) => r.Workspace.BudgetTier switch
    {
        // RED: spend is frozen except for answering people who wrote to us (seed 001 BudgetTier).
        Vocabulary.BudgetTier.Red when r.Purpose == MessagePurpose.Marketing =>
            RuleCheck.Deny(PolicyRuleNames.BudgetTier, PolicyReasonCodes.BudgetRed, "budget tier RED: only transactional replies"),
        Vocabulary.BudgetTier.Red => RuleCheck.Pass(PolicyRuleNames.BudgetTier, "budget tier RED: transactional reply allowed"),
        Vocabulary.BudgetTier.Yellow => RuleCheck.Pass(PolicyRuleNames.BudgetTier, "budget tier YELLOW: caps halved"),
        _ => RuleCheck.Pass(PolicyRuleNames.BudgetTier, "budget tier GREEN"),
    };

    public static RuleCheck Campaign(PolicyRequest r)
    {
        if (r.Campaign is not { } campaign)
            return RuleCheck.Skip(PolicyRuleNames.Campaign, "not a campaign send");
        if (campaign.Status != CampaignStatus.Active)
            return RuleCheck.Deny(PolicyRuleNames.Campaign, PolicyReasonCodes.CampaignNotActive,
                $"campaign is {WireName.Of(campaign.Status)}");
        if (campaign.AllowedChannels is { Count: > 0 } allowed && !Contains(allowed, r.Channel))
            return RuleCheck.Deny(PolicyRuleNames.Campaign, PolicyReasonCodes.ChannelNotAllowed,
                $"campaign does not allow {WireName.Of(r.Channel)}");
        return RuleCheck.Pass(PolicyRuleNames.Campaign, "campaign active and channel allowed");
    }

    static bool Contains(IReadOnlyList<Channel> channels, Channel channel)
    {
        for (var i = 0; i < channels.Count; i++)
            if (channels[i] == channel) return true;
        return false;
    }
}
