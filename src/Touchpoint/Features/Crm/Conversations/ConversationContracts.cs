using System.Text.Json;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Crm.Conversations;

public sealed record ConversationListQuery(Guid? BoardId, Guid? ColumnId, string? Status);

public sealed record MoveConversationRequest(Guid? ColumnId, string? By);

public sealed record ClaimRequest(string? By);

public sealed record HumanReplyRequest(string? Body, string? By);

public sealed record ApproveDraftRequest(string? Body, string? By);

public sealed record ConversationCard(Guid Id, Guid BoardId, Guid ColumnId, Guid ContactId, Channel Channel, string ContactHandle,
    ConversationStatus Status, string? ClaimedBy, string? EscalationReason, DateTimeOffset? EscalatedAt,
    DateTimeOffset? LastMessageAt, DateTimeOffset? LastInboundAt, int MessageCount)
{
    public static ConversationCard From(Conversation c) => new(c.Id, c.BoardId, c.ColumnId, c.ContactId, c.Channel, c.ContactHandle,
        c.Status, c.ClaimedBy, c.EscalationReason, c.EscalatedAt, c.LastMessageAt, c.LastInboundAt, c.MessageCount);
}

public sealed record ConversationList(List<ConversationCard> Conversations);

public sealed record ConversationMessageView(Guid Id, int Sequence, Direction Direction, string Role, string MessageType,
    string? Status, string Content, string? ApprovalState, Guid? OutboundMessageId, JsonElement Details, DateTimeOffset CreatedAt)
{
    public static ConversationMessageView From(ConversationMessage m) => new(m.Id, m.Sequence, m.Direction, m.Role, m.MessageType,
        m.Status, m.Content, m.ApprovalState, m.OutboundMessageId, JsonDocument.Parse(m.RawPayloadJson).RootElement.Clone(), m.CreatedAt);
}

public sealed record MemoryView(string? Summary, int SummaryVersion, IReadOnlyList<MemoryFact> Facts, int FactsVersion,
    DateTimeOffset? LastSummarizedAt)
{
    public static MemoryView From(Conversation c) => new(c.Summary, c.SummaryVersion, ConversationFacts.Parse(c.FactsJson),
        c.FactsVersion, c.LastSummarizedAt);
}

public sealed record MemoryVersionView(int Version, string? Summary, IReadOnlyList<MemoryFact> Facts, Guid? SourceMessageId, DateTimeOffset CreatedAt);

public sealed record MemoryHistory(List<MemoryVersionView> Versions);

/// <summary>The effective config with both inputs, so an operator sees what the column says, what the card overrides, and the result.</summary>
public sealed record EffectiveConfigView(Guid ConversationId, Guid ColumnId, ColumnMode Mode, CrmConfig Column, CrmConfig Overrides,
    EffectiveConfig Effective);

public sealed record ConversationView(ConversationCard Conversation, CrmConfig Overrides, MemoryView Memory,
    EffectiveConfigView EffectiveConfig, List<ConversationMessageView> Messages);

/// <summary>The result of a human reply or an approved draft: the conversation message and what the send pipeline decided.</summary>
public sealed record SendResultView(ConversationMessageView Message, Guid? OutboundMessageId, string? SendStatus, string Purpose,
    bool? AllowSend, string? ReasonCode);

public static class ConversationFacts
{
    public static IReadOnlyList<MemoryFact> Parse(string json) =>
        JsonSerializer.Deserialize<List<MemoryFact>>(json, JsonSerializerOptions.Web) ?? [];

    public static string ToJson(IReadOnlyList<MemoryFact> facts) => JsonSerializer.Serialize(facts, JsonSerializerOptions.Web);
}
