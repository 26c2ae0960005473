using System.Text.Json;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Crm.Conversations;

/// <summary>Appends messages to a conversation with the next sequence number and keeps its counters current.</summary>
public static class ConversationLog
{
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Human = "human";
    public const string System = "system";
    public const string Automation = "automation";

    public const string DraftPending = "pending";
    public const string DraftApproved = "approved";
    public const string DraftRejected = "rejected";

    public static ConversationMessage Append(TouchpointDb db, Conversation c, Direction direction, string role, string content,
        DateTimeOffset now, string type = "text", string? status = null, object? details = null)
    {
        var message = new ConversationMessage
        {
            WorkspaceId = c.WorkspaceId, ConversationId = c.Id, Sequence = c.MessageCount, Direction = direction, Role = role,
            MessageType = type, Status = status, Content = content, CreatedAt = now, UpdatedAt = now,
            RawPayloadJson = details is null ? "{}" : JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
        };
        c.MessageCount++;
        c.UpdatedAt = now;
        if (type != "event") c.LastMessageAt = now;
        if (direction == Direction.Inbound) c.LastInboundAt = now;
        db.ConversationMessages.Add(message);
        return message;
    }

    /// <summary>A system note on the card (gate outcome, escalation, move): part of the audit, never sent.</summary>
    public static ConversationMessage Event(TouchpointDb db, Conversation c, string text, DateTimeOffset now, object? details = null) =>
        Append(db, c, Direction.Outbound, System, text, now, type: "event", details: details);
}
