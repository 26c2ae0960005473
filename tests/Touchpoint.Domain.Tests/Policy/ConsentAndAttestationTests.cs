using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

public sealed class ConsentAndAttestationTests
{
    static readonly Instant Now = TuesdayAfternoonInNewYork;

    [Theory, MemberData(nameof(EveryChannelAndPurpose))]
    public void Opt_out_denies_every_purpose(Channel channel, MessagePurpose purpose)
    {
        var request = MarketingText().On(channel, Address(channel)) with
        {
            Purpose = purpose,
            Consent = new ChannelConsent(ConsentStatus.OptOut),
            Attestations = [new([channel], null, Now + Duration.FromDays(30))],
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.False(verdict.AllowSend);
        Assert.Equal(PolicyReasonCodes.ConsentOptOut, verdict.ReasonCode);
    }

    [Theory]
    [InlineData(Channel.Rvm, MessagePurpose.TransactionalReply, true)]
    [InlineData(Channel.Whatsapp, MessagePurpose.TransactionalReply, true)]
    [InlineData(Channel.Sms, MessagePurpose.Marketing, true)]
    [InlineData(Channel.Imessage, MessagePurpose.Marketing, true)]
    [InlineData(Channel.Call, MessagePurpose.Marketing, true)]
    [InlineData(Channel.Voicemail, MessagePurpose.Marketing, true)]
    [InlineData(Channel.Sms, MessagePurpose.TransactionalReply, false)]
    [InlineData(Channel.Call, MessagePurpose.TransactionalReply, false)]
    [InlineData(Channel.Email, MessagePurpose.Marketing, false)]
    [InlineData(Channel.Instagram, MessagePurpose.Marketing, false)]
    [InlineData(Channel.Messenger, MessagePurpose.TransactionalReply, false)]
    public void Unknown_consent_denies_only_where_prior_express_consent_is_required(Channel channel, MessagePurpose purpose, bool denied)
    {
        var request = MarketingText().On(channel, Address(channel)) with
        {
            Purpose = purpose,
            Consent = null,
            Attestations = [new([channel], null, Now + Duration.FromDays(30))],
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.Equal(denied, verdict.ReasonCode == PolicyReasonCodes.ConsentRequired);
        Assert.Equal(!denied, verdict.AllowSend);
    }

    [Fact]
    public void An_opt_in_captured_after_the_evaluated_instant_does_not_count()
    {
        var request = MarketingText() with { Consent = new ChannelConsent(ConsentStatus.OptIn, Now + Duration.FromMinutes(1)) };
        Assert.Equal(PolicyReasonCodes.ConsentRequired, PolicyEngine.Evaluate(request).ReasonCode);
    }

    [Theory]
    [InlineData("valid_for_all_campaigns", true)]
    [InlineData("valid_for_this_campaign", true)]
    [InlineData("expired", false)]
    [InlineData("other_campaign", false)]
    [InlineData("other_channel", false)]
    public void Campaign_calls_need_an_unexpired_attestation_covering_channel_and_campaign(string attestation, bool allowed)
    {
        OutreachAttestationGrant grant = attestation switch
        {
            "valid_for_all_campaigns" => new([Channel.Call, Channel.Rvm], null, Now + Duration.FromDays(1)),
            "valid_for_this_campaign" => new([Channel.Call], CampaignId, Now + Duration.FromDays(1)),
            "expired" => new([Channel.Call], null, Now),
            "other_campaign" => new([Channel.Call], Guid.NewGuid(), Now + Duration.FromDays(1)),
            _ => new([Channel.Rvm], null, Now + Duration.FromDays(1)),
        };
        var verdict = PolicyEngine.Evaluate(MarketingText().On(Channel.Call, NewYorkPhone) with { Attestations = [grant] });
        Assert.Equal(allowed, verdict.AllowSend);
        Assert.Equal(allowed ? PolicyReasonCodes.Allowed : PolicyReasonCodes.AttestationMissing, verdict.ReasonCode);
    }

    [Fact]
    public void A_call_outside_any_campaign_needs_no_attestation()
    {
        var request = MarketingText().On(Channel.Call, NewYorkPhone) with { Campaign = null };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.True(verdict.AllowSend);
        Assert.Equal(RuleVerdict.NotApplicable, verdict.Rule(PolicyRuleNames.Attestation).Verdict);
    }

    [Fact]
    public void An_expired_suppression_no_longer_applies_but_a_live_one_wins_over_opt_in()
    {
        var expired = MarketingText() with { Suppressions = [new(SuppressionScope.Contact, SuppressionReason.Manual, Now)] };
        var live = MarketingText() with { Suppressions = [new(SuppressionScope.Contact, SuppressionReason.Manual, Now + Duration.FromSeconds(1))] };
        Assert.True(PolicyEngine.Evaluate(expired).AllowSend);
        Assert.Equal(PolicyReasonCodes.Suppressed, PolicyEngine.Evaluate(live).ReasonCode);
    }

    public static TheoryData<Channel, MessagePurpose> EveryChannelAndPurpose()
    {
        var data = new TheoryData<Channel, MessagePurpose>();
        foreach (var channel in Enum.GetValues<Channel>())
            foreach (var purpose in Enum.GetValues<MessagePurpose>()) data.Add(channel, purpose);
        return data;
    }

    static string Address(Channel channel) => channel switch
    {
        Channel.Email => "ana@example.com",
        Channel.Instagram or Channel.Messenger => "ana.handle",
        _ => NewYorkPhone,
    };
}
