using NodaTime;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// The one exemption in the engine: the single confirmation of an opt-out keyword the person just sent
/// (CTIA Messaging Principles: one confirmation, no further messages). It runs after every rule and turns the
/// denials the confirmation is exempt from into <see cref="RuleVerdict.Bypassed"/>, so the trace still shows
/// what would have denied. Everything else (DNC, other suppressions, missing address, attestation) still denies.
/// </summary>
static class OptOutConfirmationRule
{
    /// <summary>A confirmation answers the person's own message; one that could not go out within a day is not sent.</summary>
    public static readonly Duration Window = Duration.FromDays(1);

    public static bool IsDue(PolicyRequest r, Instant now) =>
        r.Purpose == MessagePurpose.OptOutConfirmation && r.OptOutToConfirm is { AlreadyConfirmed: false } o
        && o.ReceivedAt <= now && now - o.ReceivedAt <= Window;

    public static void Apply(PolicyRequest r, Instant now, ref RuleChecks checks)
    {
        if (r.Purpose != MessagePurpose.OptOutConfirmation) return;
        if (!IsDue(r, now))
        {
            if (!checks[2].Denies)
                checks[2] = RuleCheck.Deny(PolicyRuleNames.Consent, PolicyReasonCodes.OptOutConfirmationNotDue,
                    "opt-out confirmation: no unconfirmed opt-out keyword on this channel in the last 24 h");
            return;
        }
        for (var i = 0; i < RuleChecks.Count; i++)
            if (checks[i].Denies && Exempt(checks[i], r, now) is { } why)
                checks[i] = checks[i].Bypass(why);
    }

    static string? Exempt(RuleCheck check, PolicyRequest r, Instant now) => check.Rule switch
    {
        PolicyRuleNames.Suppression when OnlyOptedOut(r, now) => "the opted_out suppression is the opt-out being confirmed",
        PolicyRuleNames.Consent when check.Reason == PolicyReasonCodes.ConsentOptOut => "confirming this opt-out is the one message allowed after it",
        // An immediate answer to the person's own message, not a solicitation (TCPA 64.1200(c) calling hours).
        PolicyRuleNames.QuietHours or PolicyRuleNames.LegalWindow => "an immediate reply to the person's own message",
        PolicyRuleNames.FrequencyCaps or PolicyRuleNames.SubjectLimit or PolicyRuleNames.Fatigue => "a confirmation is not a touch",
        _ => null,
    };

    /// <summary>Only opted_out suppressions apply (a complaint, DNC, bounce or manual one still denies).</summary>
    static bool OnlyOptedOut(PolicyRequest r, Instant now)
    {
        if (r.Contact.Stage == LeadStage.Suppressed) return false;
        for (var i = 0; i < r.Suppressions.Count; i++)
        {
            var s = r.Suppressions[i];
            if (s.Reason == SuppressionReason.None || s.ExpiresAt <= now) continue;
            if (s.Reason != SuppressionReason.OptedOut) return false;
        }
        return true;
    }
}
