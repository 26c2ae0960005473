using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Data.Entities;

/// <summary>A person Touchpoint may reach (seed 001 Lead, 004 leads).</summary>
public sealed class Contact : WorkspaceRow
{
    public string? ExternalId { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Timezone { get; set; }
    /// <summary>ISO 3166 alpha-2 used to parse national phone numbers; falls back to the workspace's.</summary>
    public string? Region { get; set; }
    public LeadStage Stage { get; set; } = LeadStage.New;
    public List<string> Tags { get; set; } = [];
    public string AttributesJson { get; set; } = "{}";
    public int FatigueScore { get; set; }
    public DateTimeOffset? LastTouchAt { get; set; }
    public DateTimeOffset? ReactivationAfter { get; set; }

    public List<ContactChannel> Channels { get; set; } = [];
}

public sealed class ContactChannel : WorkspaceRow
{
    public Guid ContactId { get; set; }
    public Channel Kind { get; set; }
    /// <summary>E.164 for phones, lower-cased for email, the handle for social channels.</summary>
    public required string Value { get; set; }
    public bool IsPrimary { get; set; }
    public bool Dnc { get; set; }
    public string? Timezone { get; set; }
    public string ValidationJson { get; set; } = "{}";
}

/// <summary>The current consent per contact and channel; derived from <see cref="ConsentRecord"/> history.</summary>
public sealed class Consent : WorkspaceRow
{
    public Guid ContactId { get; set; }
    public Channel Channel { get; set; }
    public ConsentStatus Status { get; set; } = ConsentStatus.Unknown;
    public string? Source { get; set; }
    public DateTimeOffset? CapturedAt { get; set; }
    public string? PolicyVersion { get; set; }
    public Guid? LatestRecordId { get; set; }
}

/// <summary>One consent statement with its provenance; history is never overwritten.</summary>
public sealed class ConsentRecord : WorkspaceFact
{
    public Guid ContactId { get; set; }
    public Channel Channel { get; set; }
    public ConsentStatus Status { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset CapturedAt { get; set; }
    public string? PolicyVersion { get; set; }
    /// <summary>Who, how, what text was shown, IP and user agent when given.</summary>
    public string EvidenceJson { get; set; } = "{}";
}

/// <summary>Workspace-wide (contact) or per-address suppression; it always wins over consent and campaigns.</summary>
public sealed class Suppression : WorkspaceRow
{
    public Guid? ContactId { get; set; }
    public string? Value { get; set; }
    public Channel? Channel { get; set; }
    public SuppressionReason Reason { get; set; }
    public string? Note { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
}

/// <summary>An operator's statement that the consent basis for voice/RVM sends exists (seed 001).</summary>
public sealed class OutreachAttestation : WorkspaceRow
{
    public required string AttestedBy { get; set; }
    public List<string> Channels { get; set; } = [];
    public Guid? CampaignId { get; set; }
    public required string ConsentBasis { get; set; }
    public bool Granted { get; set; } = true;
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>Append-only timeline of everything that happened to a contact (seed 004 core_memory_events).</summary>
public sealed class MemoryEvent : WorkspaceFact
{
    public Guid ContactId { get; set; }
    public required string EventType { get; set; }
    public required string Source { get; set; }
    public Channel? Channel { get; set; }
    public Direction? Direction { get; set; }
    public string PayloadJson { get; set; } = "{}";
    public int ScoreDelta { get; set; }
}

/// <summary>Cached address validation (seed 003 email_validation_results).</summary>
public sealed class EmailValidationResult : WorkspaceRow
{
    public required string Email { get; set; }
    public required string Verdict { get; set; }
    public double? Score { get; set; }
    public string ResultJson { get; set; } = "{}";
    public DateTimeOffset ValidatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
}
