using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

public sealed class BudgetTierTests
{
    static readonly Instant Now = TuesdayAfternoonInNewYork;

    [Theory]
    [InlineData(BudgetTier.Green, 4, 3, true)]
    [InlineData(BudgetTier.Yellow, 4, 2, false)] // 4 halves to 2
    [InlineData(BudgetTier.Yellow, 5, 1, true)]  // 5 halves to 2, rounding down
    [InlineData(BudgetTier.Yellow, 1, 0, true)]  // 1 halves to 0, but at least 1
    [InlineData(BudgetTier.Yellow, 1, 1, false)]
    public void Yellow_halves_daily_caps_rounding_down_but_never_below_one(BudgetTier tier, int cap, int sentToday, bool allowed)
    {
        var request = MarketingText() with
        {
            Workspace = new WorkspacePolicy("UTC", tier),
            Campaign = ActiveCampaign with { MaxTouchesPerDay = cap },
            RecentTouches = [.. Enumerable.Range(1, sentToday).Select(h => new RecentTouch(Channel.Email, Now - Duration.FromHours(h)))],
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.Equal(allowed, verdict.AllowSend);
        if (!allowed) Assert.Equal(PolicyReasonCodes.DailyCap, verdict.ReasonCode);
    }

    [Fact]
    public void Yellow_halves_weekly_and_channel_caps_too()
    {
        var request = MarketingText() with
        {
            Workspace = new WorkspacePolicy("UTC", BudgetTier.Yellow),
            Campaign = ActiveCampaign with { MaxTouchesPerWeek = 6, ChannelDailyCaps = new Dictionary<Channel, int> { [Channel.Sms] = 2 } },
            RecentTouches = [new(Channel.Sms, Now - Duration.FromDays(2)), new(Channel.Sms, Now - Duration.FromHours(1))],
        };
        Assert.Equal(PolicyReasonCodes.ChannelCap, PolicyEngine.Evaluate(request).ReasonCode);
        var weekly = request with { RecentTouches = [.. Enumerable.Range(2, 3).Select(d => new RecentTouch(Channel.Email, Now - Duration.FromDays(d)))] };
        Assert.Equal(PolicyReasonCodes.WeeklyCap, PolicyEngine.Evaluate(weekly).ReasonCode);
    }

    [Fact]
    public void A_cap_denial_rolls_over_when_the_oldest_counted_touch_is_a_day_old()
    {
        var oldest = Now - Duration.FromHours(5);
        var request = MarketingText() with
        {
            Campaign = ActiveCampaign with { MaxTouchesPerDay = 2 },
            RecentTouches = [new(Channel.Email, oldest), new(Channel.Email, Now - Duration.FromHours(1))],
        };
        // 5 hours ago + 24 h is 09:00 tomorrow in New York, inside the TCPA window.
        Assert.Equal(oldest + Duration.FromDays(1), PolicyEngine.Evaluate(request).NextAllowedAt);
    }

    [Theory]
    [InlineData(MessagePurpose.Marketing, false)]
    [InlineData(MessagePurpose.TransactionalReply, true)]
    public void Red_allows_only_transactional_replies(MessagePurpose purpose, bool allowed)
    {
        var request = MarketingText() with { Purpose = purpose, Campaign = null, Workspace = new WorkspacePolicy("UTC", BudgetTier.Red) };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.Equal(allowed, verdict.AllowSend);
        Assert.Equal(allowed ? PolicyReasonCodes.Allowed : PolicyReasonCodes.BudgetRed, verdict.ReasonCode);
        Assert.Null(verdict.NextAllowedAt); // money, not time, is what is missing
    }
}
