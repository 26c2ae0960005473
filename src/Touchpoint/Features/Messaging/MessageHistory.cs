using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Messaging;

/// <summary>
/// The rows that make a message's life provable afterwards: a <c>message_events</c> row per status Touchpoint
/// itself sets (provider callbacks add theirs through the webhook pipeline) and a timeline entry on the contact.
/// </summary>
public static class MessageHistory
{
    public const string StatusEventType = "status";

    public static MessageEvent StatusEvent(OutboundMessage message, DateTimeOffset now, string? detail = null) => new()
    {
        WorkspaceId = message.WorkspaceId, MessageId = message.Id, ContactId = message.ContactId, CampaignId = message.CampaignId,
        EventType = StatusEventType, Status = message.Status, Provider = message.Provider, ErrorCode = message.ErrorCode,
        PayloadJson = System.Text.Json.JsonSerializer.Serialize(new { detail = detail ?? message.ErrorMessage }),
        OccurredAt = now, CreatedAt = now,
    };

    public static MemoryEvent TimelineEvent(OutboundMessage message, PolicyDecision? decision, DateTimeOffset now)
    {
        var e = TimelineEvents.New(message.WorkspaceId, message.ContactId, "MESSAGE_" + WireName.Of(message.Status).ToUpperInvariant(),
            message.CampaignId is null ? "api" : "campaign", message.Channel,
            new
            {
                messageId = message.Id, status = WireName.Of(message.Status), campaignId = message.CampaignId, stepIndex = message.StepIndex,
                reasonCode = decision?.ReasonCode, scheduledFor = message.ScheduledFor, errorCode = message.ErrorCode,
                providerMessageId = message.ProviderMessageId,
            }, now);
        e.Direction = Direction.Outbound;
        return e;
    }
}
