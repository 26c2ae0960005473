using NodaTime;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Policy;

/// <summary>What the engine needs to know about the person. <paramref name="UsState"/> is an explicit
/// two-letter US state (e.g. <c>FL</c>) that overrides inference from the phone number.</summary>
public sealed record ContactSnapshot(Guid Id, string? TimeZone, int FatigueScore, LeadStage Stage, string? UsState = null);

/// <summary>The address resolved for the channel: E.164 for phone channels, e-mail or handle otherwise.
/// <paramref name="TimeZone"/> overrides the contact's zone for this address.</summary>
public sealed record ResolvedAddress(string Value, bool Dnc = false, string? TimeZone = null);

/// <summary>The current consent of the contact for the channel; absent means <c>unknown</c>.</summary>
public sealed record ChannelConsent(ConsentStatus Status, Instant? CapturedAt = null);

/// <summary>Whether a suppression covers the whole contact or only the resolved address.</summary>
public enum SuppressionScope
{
    Contact,
    Address,
}

/// <summary>A suppression the caller found for this contact or address. Expired ones (and reason
/// <c>none</c>) do not apply; the engine checks that itself so callers can pass what they loaded.</summary>
public sealed record ActiveSuppression(SuppressionScope Scope, SuppressionReason Reason, Instant? ExpiresAt = null);

/// <summary>A message already sent to this contact, used by caps and the per-subject rule.
/// <paramref name="SubjectKey"/> defaults to the campaign id when null.</summary>
public sealed record RecentTouch(Channel Channel, Instant SentAt, Guid? CampaignId = null, string? SubjectKey = null);

/// <summary>The workspace (tenant) settings the engine reads.</summary>
public sealed record WorkspacePolicy(string TimeZone, BudgetTier BudgetTier);

/// <summary>An operator's attestation (ARCHITECTURE §3 OutreachAttestation); a null
/// <paramref name="CampaignId"/> covers every campaign.</summary>
public sealed record OutreachAttestationGrant(IReadOnlyList<Channel> Channels, Guid? CampaignId, Instant ExpiresAt);

/// <summary>The latest opt-out keyword the person sent on this channel, and whether a confirmation of it already
/// exists (any outbound confirmation created at or after <paramref name="ReceivedAt"/> other than the one being decided).</summary>
public sealed record OptOutToConfirm(Instant ReceivedAt, bool AlreadyConfirmed);

/// <summary>Everything one decision depends on. <see cref="Now"/> is passed in: the engine has no clock.</summary>
public sealed record PolicyRequest(
    ContactSnapshot Contact,
    Channel Channel,
    MessagePurpose Purpose,
    ResolvedAddress? Address,
    WorkspacePolicy Workspace,
    Instant Now)
{
    public ChannelConsent? Consent { get; init; }
    public IReadOnlyList<ActiveSuppression> Suppressions { get; init; } = [];
    public IReadOnlyList<RecentTouch> RecentTouches { get; init; } = [];
    public CampaignPolicy? Campaign { get; init; }
    public IReadOnlyList<OutreachAttestationGrant> Attestations { get; init; } = [];

    /// <summary>Subject of this message for the state "3 per 24h on the same subject" rules;
    /// null means the campaign id (if any).</summary>
    public string? SubjectKey { get; init; }

    /// <summary>Only read for <see cref="MessagePurpose.OptOutConfirmation"/>: the opt-out it would confirm.</summary>
    public OptOutToConfirm? OptOutToConfirm { get; init; }
}
