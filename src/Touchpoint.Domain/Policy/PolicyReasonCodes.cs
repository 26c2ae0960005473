namespace Touchpoint.Domain.Policy;

/// <summary>
/// Stable snake_case reason codes stored in <c>policy_decisions.reason_code</c> and returned by the API.
/// Never rename one: operators filter and count denials by them. See docs/policy.md.
/// </summary>
public static class PolicyReasonCodes
{
    /// <summary>Every rule passed or did not apply.</summary>
    public const string Allowed = "allowed";

    /// <summary>The single confirmation of an opt-out just received; the trace marks the rules it bypassed.</summary>
    public const string AllowedOptOutConfirmation = "allowed_opt_out_confirmation";

    /// <summary>An opt-out confirmation with no unconfirmed opt-out keyword in the last 24 h to confirm.</summary>
    public const string OptOutConfirmationNotDue = "opt_out_confirmation_not_due";

    /// <summary>An unexpired contact-wide or address suppression, or the contact's stage is SUPPRESSED.
    /// Always wins over consent and campaign settings.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>No usable address for the channel.</summary>
    public const string NoAddress = "no_address";

    /// <summary>The address is flagged do-not-contact.</summary>
    public const string AddressDnc = "address_dnc";

    /// <summary>The contact opted out of the channel; denies every purpose.</summary>
    public const string ConsentOptOut = "consent_opt_out";

    /// <summary>Consent is unknown (or captured after <c>now</c>) where prior express consent is required.</summary>
    public const string ConsentRequired = "consent_required";

    /// <summary>A campaign send on call / voicemail / rvm without a valid, unexpired attestation.</summary>
    public const string AttestationMissing = "attestation_missing";

    /// <summary>Inside the campaign's quiet hours, recipient local time. Time-bound.</summary>
    public const string QuietHours = "quiet_hours";

    /// <summary>Outside the legal calling window (TCPA or stricter state), recipient local time. Time-bound.</summary>
    public const string LegalWindow = "legal_window";

    /// <summary>Touches to the contact in the last 24 h reached maxTouchesPerDay. Time-bound.</summary>
    public const string DailyCap = "daily_cap";

    /// <summary>Touches to the contact in the last 7 days reached maxTouchesPerWeek. Time-bound.</summary>
    public const string WeeklyCap = "weekly_cap";

    /// <summary>Touches on this channel in the last 24 h reached the campaign's channel cap. Time-bound.</summary>
    public const string ChannelCap = "channel_cap";

    /// <summary>State limit of 3 calls/texts per 24 h on the same subject (FL FTSA, OK, MD). Time-bound.</summary>
    public const string SubjectLimit = "subject_limit";

    /// <summary>The contact's fatigue score is at or above the campaign threshold.</summary>
    public const string Fatigue = "fatigue";

    /// <summary>Workspace budget tier RED: only transactional replies go out.</summary>
    public const string BudgetRed = "budget_red";

    /// <summary>The campaign is draft, paused or completed.</summary>
    public const string CampaignNotActive = "campaign_not_active";

    /// <summary>The channel is not in the campaign's allowed channels.</summary>
    public const string ChannelNotAllowed = "channel_not_allowed";
}
