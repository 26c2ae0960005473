using NodaTime;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Policy;

/// <summary>Rules 1–4: who may be contacted at all, whatever the time (none of these is cured by waiting).</summary>
static class EligibilityRules
{
    public static RuleCheck Suppression(PolicyRequest r, Instant now)
    {
        if (r.Contact.Stage == LeadStage.Suppressed)
            return RuleCheck.Deny(PolicyRuleNames.Suppression, PolicyReasonCodes.Suppressed, "contact stage is SUPPRESSED");
        var suppressions = r.Suppressions;
        for (var i = 0; i < suppressions.Count; i++)
        {
            var s = suppressions[i];
            // Reason "none" is the seed's "not suppressed"; an expired suppression no longer applies.
            if (s.Reason == SuppressionReason.None || s.ExpiresAt <= now) continue;
            var scope = s.Scope == SuppressionScope.Contact ? "contact-wide" : "address";
            return RuleCheck.Deny(PolicyRuleNames.Suppression, PolicyReasonCodes.Suppressed,
                $"{scope} suppression ({WireName.Of(s.Reason)}) wins over consent and campaign");
        }
        return RuleCheck.Pass(PolicyRuleNames.Suppression, "no active suppression");
    }

    public static RuleCheck Address(PolicyRequest r)
    {
        if (r.Address is null || string.IsNullOrWhiteSpace(r.Address.Value))
            return RuleCheck.Deny(PolicyRuleNames.Address, PolicyReasonCodes.NoAddress, "no usable address for the channel");
        if (r.Address.Dnc)
            return RuleCheck.Deny(PolicyRuleNames.Address, PolicyReasonCodes.AddressDnc, "address is flagged do-not-contact");
        return RuleCheck.Pass(PolicyRuleNames.Address, "address usable");
    }

    public static RuleCheck Consent(PolicyRequest r, Instant now)
    {
        var status = r.Consent?.Status ?? ConsentStatus.Unknown;
        if (status == ConsentStatus.OptOut)
            return RuleCheck.Deny(PolicyRuleNames.Consent, PolicyReasonCodes.ConsentOptOut, "contact opted out of this channel");
        // An opt-in recorded after the evaluated instant did not exist yet at that instant.
        var optedIn = status == ConsentStatus.OptIn && !(r.Consent!.CapturedAt > now);
        if (optedIn) return RuleCheck.Pass(PolicyRuleNames.Consent, "opt_in on record");
        if (ConsentRequirements.RequiresPriorExpressConsent(r.Channel, r.Purpose))
            return RuleCheck.Deny(PolicyRuleNames.Consent, PolicyReasonCodes.ConsentRequired,
                "prior express consent required for this channel and purpose; none on record");
        return RuleCheck.Pass(PolicyRuleNames.Consent, "consent unknown; not required for this channel and purpose");
    }

    public static RuleCheck Attestation(PolicyRequest r, Instant now)
    {
        // Only campaign sends on voice channels need an operator attestation (ARCHITECTURE §10).
        if (r.Campaign is null || r.Channel is not (Channel.Call or Channel.Voicemail or Channel.Rvm))
            return RuleCheck.Skip(PolicyRuleNames.Attestation, "only campaign sends on call, voicemail and rvm need one");
        var campaignId = r.Campaign.CampaignId;
        var attestations = r.Attestations;
        for (var i = 0; i < attestations.Count; i++)
        {
            var a = attestations[i];
            if (a.ExpiresAt > now && (a.CampaignId is null || a.CampaignId == campaignId) && Covers(a.Channels, r.Channel))
                return RuleCheck.Pass(PolicyRuleNames.Attestation, "valid attestation covers channel and campaign");
        }
        return RuleCheck.Deny(PolicyRuleNames.Attestation, PolicyReasonCodes.AttestationMissing,
            "no unexpired attestation covers this channel and campaign");
    }

    static bool Covers(IReadOnlyList<Channel> channels, Channel channel)
    {
        for (var i = 0; i < channels.Count; i++)
            if (channels[i] == channel) return true;
        return false;
    }
}
