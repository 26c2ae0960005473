using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

/// <summary>One example per reason code: the scenario is allowed until exactly one thing changes.</summary>
public sealed class ReasonCodeExamples
{
    static readonly Instant Now = TuesdayAfternoonInNewYork;

    [Fact]
    public void The_typical_scenario_is_allowed_with_every_rule_traced()
    {
        var verdict = PolicyEngine.Evaluate(MarketingText());
        Assert.True(verdict.AllowSend);
        Assert.Equal(PolicyReasonCodes.Allowed, verdict.ReasonCode);
        Assert.Null(verdict.NextAllowedAt);
        Assert.Equal(PolicyRuleNames.InOrder, verdict.RuleTrace.Select(r => r.Rule));
        Assert.DoesNotContain(verdict.RuleTrace, r => r.Verdict == RuleVerdict.Deny);
    }

    public static TheoryData<string, string> Denials => new()
    {
        { "suppression", PolicyReasonCodes.Suppressed },
        { "stage_suppressed", PolicyReasonCodes.Suppressed },
        { "no_address", PolicyReasonCodes.NoAddress },
        { "address_dnc", PolicyReasonCodes.AddressDnc },
        { "opt_out", PolicyReasonCodes.ConsentOptOut },
        { "unknown_consent_marketing_sms", PolicyReasonCodes.ConsentRequired },
        { "call_without_attestation", PolicyReasonCodes.AttestationMissing },
        { "quiet_hours", PolicyReasonCodes.QuietHours },
        { "late_evening", PolicyReasonCodes.LegalWindow },
        { "daily_cap", PolicyReasonCodes.DailyCap },
        { "weekly_cap", PolicyReasonCodes.WeeklyCap },
        { "channel_cap", PolicyReasonCodes.ChannelCap },
        { "subject_limit", PolicyReasonCodes.SubjectLimit },
        { "fatigue", PolicyReasonCodes.Fatigue },
        { "budget_red", PolicyReasonCodes.BudgetRed },
        { "campaign_paused", PolicyReasonCodes.CampaignNotActive },
        { "channel_not_allowed", PolicyReasonCodes.ChannelNotAllowed },
    };

    [Theory, MemberData(nameof(Denials))]
    public void Each_reason_code_is_reported_by_the_rule_that_owns_it(string change, string expectedCode)
    {
        var verdict = PolicyEngine.Evaluate(Bend(MarketingText(), change));
        Assert.False(verdict.AllowSend);
        Assert.Equal(expectedCode, verdict.ReasonCode);
        Assert.Single(verdict.RuleTrace, r => r.Verdict == RuleVerdict.Deny);
    }

    static PolicyRequest Bend(PolicyRequest r, string change) => change switch
    {
        "suppression" => r with { Suppressions = [new(SuppressionScope.Address, SuppressionReason.Complaint)] },
        "stage_suppressed" => r with { Contact = r.Contact with { Stage = LeadStage.Suppressed } },
        "no_address" => r with { Address = null },
        "address_dnc" => r with { Address = r.Address! with { Dnc = true } },
        "opt_out" => r with { Consent = new ChannelConsent(ConsentStatus.OptOut, Now - Duration.FromDays(1)) },
        "unknown_consent_marketing_sms" => r with { Consent = null },
        "call_without_attestation" => r with { Channel = Channel.Call },
        "quiet_hours" => r with { Campaign = ActiveCampaign with { QuietHours = QuietHoursWindow.Parse("13:00", "15:00") } },
        "late_evening" => r with { Now = At("America/New_York", 2025, 6, 10, 21, 30) },
        "daily_cap" => r with
        {
            Campaign = ActiveCampaign with { MaxTouchesPerDay = 2 },
            RecentTouches = [new(Channel.Email, Now - Duration.FromHours(3)), new(Channel.Email, Now - Duration.FromHours(1))],
        },
        "weekly_cap" => r with
        {
            Campaign = ActiveCampaign with { MaxTouchesPerWeek = 2 },
            RecentTouches = [new(Channel.Email, Now - Duration.FromDays(3)), new(Channel.Email, Now - Duration.FromDays(2))],
        },
        "channel_cap" => r with
        {
            Campaign = ActiveCampaign with { ChannelDailyCaps = new Dictionary<Channel, int> { [Channel.Sms] = 1 } },
            RecentTouches = [new(Channel.Sms, Now - Duration.FromHours(2), Guid.NewGuid())],
        },
        "subject_limit" => r.On(Channel.Sms, MiamiPhone) with
        {
            RecentTouches = [.. Enumerable.Range(1, 3).Select(h => TextOnCampaign(Now - Duration.FromHours(h)))],
        },
        "fatigue" => r with { Contact = r.Contact with { FatigueScore = 80 }, Campaign = ActiveCampaign with { FatigueThreshold = 80 } },
        "budget_red" => r with { Workspace = r.Workspace with { BudgetTier = BudgetTier.Red } },
        "campaign_paused" => r with { Campaign = ActiveCampaign with { Status = CampaignStatus.Paused } },
        "channel_not_allowed" => r with { Campaign = ActiveCampaign with { AllowedChannels = [Channel.Email] } },
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };
}
