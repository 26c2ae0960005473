using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Data.Entities;

public sealed class Board : WorkspaceRow
{
    public required string Name { get; set; }
}

/// <summary>A kanban column run by an AI agent, a human, or both (seed 002 crm_column).</summary>
public sealed class BoardColumn : WorkspaceRow
{
    public Guid BoardId { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public ColumnMode Mode { get; set; } = ColumnMode.HumanMode;
    /// <summary>agent, model, tool whitelist, automations and guardrails.</summary>
    public string ConfigJson { get; set; } = "{}";
}

/// <summary>A conversation card on the board with its versioned smart memory (seed 002).</summary>
public sealed class Conversation : WorkspaceRow
{
    public Guid BoardId { get; set; }
    public Guid ColumnId { get; set; }
    public Guid ContactId { get; set; }
    public Channel Channel { get; set; }
    public required string ContactHandle { get; set; }
    public ConversationStatus Status { get; set; } = ConversationStatus.Active;
    public string? Summary { get; set; }
    public int SummaryVersion { get; set; }
    public DateTimeOffset? LastSummarizedAt { get; set; }
    public string FactsJson { get; set; } = "[]";
    public int FactsVersion { get; set; }
    /// <summary>Per-conversation overrides of the column config (agent, model, tools, automations, guardrails).</summary>
    public string OverridesJson { get; set; } = "{}";
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? LastMessageAt { get; set; }
    public DateTimeOffset? LastInboundAt { get; set; }
    /// <summary>How many messages the conversation holds; the next message's <see cref="ConversationMessage.Sequence"/>.</summary>
    public int MessageCount { get; set; }
    /// <summary>Why the conversation was handed to a human (escalation tag, low confidence, guardrail); null when not escalated.</summary>
    public string? EscalationReason { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
}

public sealed class ConversationMessage : WorkspaceRow
{
    public Guid ConversationId { get; set; }
    /// <summary>Position in the conversation (0-based): timestamps tie under a manual clock, the sequence never does.</summary>
    public int Sequence { get; set; }
    public Direction Direction { get; set; }
    public required string Role { get; set; }
    public string MessageType { get; set; } = "text";
    public string? Status { get; set; }
    public string? ExternalId { get; set; }
    public required string Content { get; set; }
    public string RawPayloadJson { get; set; } = "{}";
    public Guid? OutboundMessageId { get; set; }
    /// <summary>HYBRID columns: an AI draft waits here for a human's approval.</summary>
    public string? ApprovalState { get; set; }
}

/// <summary>Every version of a conversation's summary and facts is kept.</summary>
public sealed class ConversationMemoryVersion : WorkspaceFact
{
    public Guid ConversationId { get; set; }
    public int Version { get; set; }
    public string? Summary { get; set; }
    public string FactsJson { get; set; } = "[]";
    public Guid? SourceMessageId { get; set; }
}

public sealed class TagEvent : WorkspaceRow
{
    public Guid ContactId { get; set; }
    public Guid? ConversationId { get; set; }
    public required string TagSlug { get; set; }
    public TagSource Source { get; set; }
    public double? Confidence { get; set; }
    public string EvidenceJson { get; set; } = "{}";
    /// <summary>AI tags below the confidence threshold stay pending until a human confirms them.</summary>
    public string Status { get; set; } = "confirmed";
}

public sealed class AutomationRule : WorkspaceRow
{
    public Guid? ColumnId { get; set; }
    public required string Name { get; set; }
    public bool Enabled { get; set; } = true;
    public AutomationTrigger Trigger { get; set; }
    /// <summary>Cron expression or RRULE for time_window triggers.</summary>
    public string? Schedule { get; set; }
    public int? InactivityHours { get; set; }
    public string? TagSlug { get; set; }
    public AutomationAction Action { get; set; }
    public string ActionJson { get; set; } = "{}";
    public string GuardrailsJson { get; set; } = "{}";
}

/// <summary>One run of a rule per trigger occurrence; the occurrence key makes it idempotent.</summary>
public sealed class AutomationRun : WorkspaceRow
{
    public Guid RuleId { get; set; }
    public Guid? ConversationId { get; set; }
    public required string OccurrenceKey { get; set; }
    public required string Status { get; set; }
    public string ResultJson { get; set; } = "{}";
}

public sealed class Agent : WorkspaceRow
{
    public required string Name { get; set; }
    /// <summary><c>offline</c> (deterministic default) or <c>openai</c> (any OpenAI-compatible endpoint).</summary>
    public string Kind { get; set; } = "offline";
    public string? Model { get; set; }
    public string? Endpoint { get; set; }
    public string? SystemPrompt { get; set; }
    /// <summary>Bearer key for the endpoint: a secret, never returned by the API nor logged.</summary>
    public string? ApiKey { get; set; }
    public List<string> Tools { get; set; } = [];
}

public sealed class ConversationThread : WorkspaceRow
{
    public Guid ContactId { get; set; }
    public Guid? ConversationId { get; set; }
    public Guid? AgentId { get; set; }
    public string Status { get; set; } = "active";
}

/// <summary>An agent exchange, including tool calls and their results (seed 001 ChatMessage).</summary>
public sealed class ChatMessage : WorkspaceFact
{
    public Guid ThreadId { get; set; }
    public required string Role { get; set; }
    public string Content { get; set; } = "";
    public string? ToolCallsJson { get; set; }
}
