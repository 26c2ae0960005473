using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Data.Entities;

/// <summary>A row of the durable job queue (ARCHITECTURE §5, seed 003 scheduled_actions).</summary>
public sealed class ScheduledAction : WorkspaceRow
{
    public required string Kind { get; set; }
    public string PayloadJson { get; set; } = "{}";
    public DateTimeOffset RunAt { get; set; }
    public JobStatus Status { get; set; } = JobStatus.Pending;
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; } = 8;
    public int Priority { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public Guid? LockToken { get; set; }
    public string? LockedBy { get; set; }
    public string? LastError { get; set; }
    public required string IdempotencyKey { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>The outbox: one row per message to send, deduplicated by idempotency key.</summary>
public sealed class OutboundMessage : WorkspaceRow
{
    public Guid ContactId { get; set; }
    public Guid? CampaignId { get; set; }
    public Guid? EnrollmentId { get; set; }
    public int? StepIndex { get; set; }
    public Guid? ConversationId { get; set; }
    public Channel Channel { get; set; }
    public required string Provider { get; set; }
    public string? ToAddress { get; set; }
    public string? FromAddress { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public string? TemplateKey { get; set; }
    public string VariablesJson { get; set; } = "{}";
    public required string Purpose { get; set; }
    public MessageStatus Status { get; set; } = MessageStatus.Queued;
    public required string IdempotencyKey { get; set; }
    public string? ProviderMessageId { get; set; }
    public decimal? Cost { get; set; }
    public string? Currency { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public Guid? PolicyDecisionId { get; set; }
    public string? QaRedirectedFrom { get; set; }
    public DateTimeOffset? ScheduledFor { get; set; }
    public DateTimeOffset? SendingLeaseUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>Normalized provider events and status changes (seed 003 message_events, 000 campaign_events).</summary>
public sealed class MessageEvent : WorkspaceFact
{
    public Guid? MessageId { get; set; }
    public Guid? ContactId { get; set; }
    public Guid? CampaignId { get; set; }
    public required string EventType { get; set; }
    public MessageStatus? Status { get; set; }
    public string? Provider { get; set; }
    public string? ProviderEventId { get; set; }
    public string? ErrorCode { get; set; }
    public string PayloadJson { get; set; } = "{}";
    public DateTimeOffset OccurredAt { get; set; }
}

/// <summary>Raw archive of every inbound webhook request, stored before parsing (ARCHITECTURE §6).</summary>
public sealed class WebhookDelivery : WorkspaceRow
{
    public required string Provider { get; set; }
    public required string Method { get; set; }
    public required string Path { get; set; }
    public string? QueryString { get; set; }
    public string HeadersJson { get; set; } = "{}";
    public byte[] Body { get; set; } = [];
    public string? RemoteAddress { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string? SignatureVerdict { get; set; }
    public string? ProviderEventId { get; set; }
    /// <summary>Set only on the delivery that was processed, so a replay of the same event id is a duplicate.</summary>
    public string? DedupeKey { get; set; }
    public WebhookOutcome Outcome { get; set; } = WebhookOutcome.Received;
    public string? Error { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
}

/// <summary>A reply or inbound message with its keyword classification (seed 003 inbound_messages).</summary>
public sealed class InboundMessage : WorkspaceRow
{
    public Guid? ContactId { get; set; }
    public Guid? WebhookDeliveryId { get; set; }
    public Channel Channel { get; set; }
    public required string FromAddress { get; set; }
    public string? ToAddress { get; set; }
    public string Body { get; set; } = "";
    public string? ProviderMessageId { get; set; }
    public string? KeywordClass { get; set; }
    public string? Keyword { get; set; }
    public string? Intent { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>An inbound item waiting for a human (opt-out-like text, escalations).</summary>
public sealed class ReviewItem : WorkspaceRow
{
    public Guid? ContactId { get; set; }
    public Guid? InboundMessageId { get; set; }
    public Guid? ConversationId { get; set; }
    public required string Kind { get; set; }
    public ReviewStatus Status { get; set; } = ReviewStatus.Open;
    public required string Reason { get; set; }
    public List<Guid> PausedEnrollmentIds { get; set; } = [];
    public string? ResolvedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>What the sandbox provider "sent": the local outbox visible through the API.</summary>
public sealed class SandboxOutboxItem : WorkspaceFact
{
    public Guid MessageId { get; set; }
    public Guid ContactId { get; set; }
    public Guid? CampaignId { get; set; }
    public int? StepIndex { get; set; }
    public Channel Channel { get; set; }
    public required string To { get; set; }
    public string? Subject { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

/// <summary>Verified sender per channel (seed 003 email_sender_identities).</summary>
public sealed class SenderIdentity : WorkspaceRow
{
    public Channel Channel { get; set; }
    public required string Address { get; set; }
    public string? DisplayName { get; set; }
    public string? Domain { get; set; }
    public SenderVerification Verification { get; set; } = SenderVerification.Pending;
    public bool IsDefault { get; set; }
    public string? ProviderReference { get; set; }
    public DateTimeOffset? LastValidatedAt { get; set; }
}

/// <summary>
/// A token bucket per provider account, sender or workspace (seed 003 send_rate_limits). <see cref="Scope"/> is the
/// wire name of <c>RateLimitScope</c>. A row created on first use follows the configured default for its scope
/// (<see cref="Configured"/> false); one set through <c>PUT /api/v1/rate-limits</c> keeps its own rate and burst.
/// </summary>
public sealed class SendRateLimit : WorkspaceRow
{
    public required string Scope { get; set; }
    public required string ScopeKey { get; set; }
    public double RatePerSecond { get; set; }
    public int Burst { get; set; }
    public double Tokens { get; set; }
    public DateTimeOffset RefilledAt { get; set; }
    public bool Configured { get; set; }
}

/// <summary>
/// A reusable Liquid message text addressed by key (<c>templateKey</c> in sends and campaign steps).
/// <see cref="ProviderTemplate"/> names the provider-approved template (WhatsApp) the message maps to.
/// </summary>
public sealed class MessageTemplate : WorkspaceRow
{
    public required string Key { get; set; }
    public Channel? Channel { get; set; }
    public string? Subject { get; set; }
    public required string Body { get; set; }
    public string? ProviderTemplate { get; set; }
    public string? Language { get; set; }
}
