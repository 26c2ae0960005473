using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

public sealed class OptOutConfirmationTests
{
    static readonly Instant Now = TuesdayAfternoonInNewYork;

    /// <summary>What the host builds right after a STOP: consent opt_out, the address suppressed, no campaign.</summary>
    static PolicyRequest ConfirmationOfStop(Instant? receivedAt = null, bool alreadyConfirmed = false, Instant? now = null) =>
        MarketingText(now: now ?? Now) with
        {
            Purpose = MessagePurpose.OptOutConfirmation,
            Campaign = null,
            Consent = new ChannelConsent(ConsentStatus.OptOut, receivedAt ?? Now),
            Suppressions = [new ActiveSuppression(SuppressionScope.Address, SuppressionReason.OptedOut)],
            OptOutToConfirm = new OptOutToConfirm(receivedAt ?? Now, alreadyConfirmed),
        };

    [Fact]
    public void The_confirmation_of_a_fresh_opt_out_is_allowed_and_the_trace_names_what_it_bypassed()
    {
        var verdict = PolicyEngine.Evaluate(ConfirmationOfStop());

        Assert.True(verdict.AllowSend);
        Assert.Equal(PolicyReasonCodes.AllowedOptOutConfirmation, verdict.ReasonCode);
        Assert.Equal(RuleVerdict.Bypassed, verdict.Rule(PolicyRuleNames.Suppression).Verdict);
        Assert.Equal(RuleVerdict.Bypassed, verdict.Rule(PolicyRuleNames.Consent).Verdict);
        Assert.Contains("bypassed", verdict.Rule(PolicyRuleNames.Consent).Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(verdict.RuleTrace, r => r.Verdict == RuleVerdict.Deny);
        Assert.Equal(PolicyRuleNames.InOrder, verdict.RuleTrace.Select(r => r.Rule));
    }

    [Fact]
    public void A_second_confirmation_of_the_same_opt_out_is_denied()
    {
        var verdict = PolicyEngine.Evaluate(ConfirmationOfStop(alreadyConfirmed: true));
        Assert.False(verdict.AllowSend);
        Assert.Equal(PolicyReasonCodes.Suppressed, verdict.ReasonCode);
        Assert.Null(verdict.NextAllowedAt);
    }

    [Fact]
    public void A_confirmation_more_than_a_day_after_the_opt_out_is_denied()
    {
        var verdict = PolicyEngine.Evaluate(ConfirmationOfStop(receivedAt: Now - Duration.FromHours(25)));
        Assert.False(verdict.AllowSend);
        Assert.Equal(PolicyReasonCodes.Suppressed, verdict.ReasonCode);
    }

    [Fact]
    public void Without_an_opt_out_to_confirm_the_purpose_is_denied_even_for_an_opted_in_contact()
    {
        var verdict = PolicyEngine.Evaluate(MarketingText() with { Purpose = MessagePurpose.OptOutConfirmation, Campaign = null });
        Assert.False(verdict.AllowSend);
        Assert.Equal(PolicyReasonCodes.OptOutConfirmationNotDue, verdict.ReasonCode);
    }

    [Theory]
    [InlineData(SuppressionReason.Complaint)]
    [InlineData(SuppressionReason.Dnc)]
    [InlineData(SuppressionReason.Bounced)]
    [InlineData(SuppressionReason.Manual)]
    public void Only_opted_out_suppressions_are_bypassed(SuppressionReason other)
    {
        var request = ConfirmationOfStop() with
        {
            Suppressions = [new(SuppressionScope.Address, SuppressionReason.OptedOut), new(SuppressionScope.Contact, other)],
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.False(verdict.AllowSend);
        Assert.Equal(PolicyReasonCodes.Suppressed, verdict.ReasonCode);
    }

    [Fact]
    public void A_do_not_contact_address_is_never_bypassed()
    {
        var request = ConfirmationOfStop() with { Address = new ResolvedAddress(NewYorkPhone, Dnc: true) };
        Assert.Equal(PolicyReasonCodes.AddressDnc, PolicyEngine.Evaluate(request).ReasonCode);
    }

    [Fact]
    public void The_confirmation_goes_out_at_night_because_it_answers_the_persons_own_message()
    {
        var night = At("America/New_York", 2025, 6, 10, 23, 30);
        var verdict = PolicyEngine.Evaluate(ConfirmationOfStop(receivedAt: night, now: night));

        Assert.True(verdict.AllowSend);
        Assert.Equal(RuleVerdict.Bypassed, verdict.Rule(PolicyRuleNames.LegalWindow).Verdict);
        // The same night-time answer for any other purpose waits for the legal window.
        var help = PolicyEngine.Evaluate(MarketingText(now: night) with { Purpose = MessagePurpose.TransactionalReply, Campaign = null });
        Assert.Equal(PolicyReasonCodes.LegalWindow, help.ReasonCode);
    }
}
