using System.Globalization;
using System.Text.Json;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Callbacks from the generic signed HTTP provider (RVM / iMessage gateways), signed with Standard Webhooks.
/// Touchpoint defines the shape (docs/webhooks.md), one event per request:
/// <code>
/// {"type":"message.inbound","data":{"channel":"imessage","messageId":"gw-1","from":"+14155550123","to":"+14155550100","body":"hi","mediaUrls":[],"occurredAt":"2025-03-09T14:00:00Z"}}
/// {"type":"message.status","data":{"messageId":"gw-2","status":"delivered","errorCode":null,"touchpointMessageId":"0195…","occurredAt":"2025-03-09T14:00:05Z"}}
/// </code>
/// <c>channel</c> and <c>status</c> use Touchpoint's wire names; <c>mediaUrls</c>, <c>errorCode</c>,
/// <c>touchpointMessageId</c> and <c>occurredAt</c> are optional.
/// </summary>
public static class GenericHttpWebhookNormalizer
{
    public const string InboundType = "message.inbound";
    public const string StatusType = "message.status";

    public static WebhookNormalization Normalize(ReadOnlyMemory<byte> body)
    {
        using var doc = JsonPayload.TryParse(body);
        if (doc is null) return new Unparsed("http_malformed_json");
        var root = doc.RootElement;
        if (JsonPayload.Child(root, "data") is not { ValueKind: JsonValueKind.Object } data) return new Unparsed("http_missing_data");
        if (JsonPayload.Text(data, "messageId") is not { Length: > 0 } messageId) return new Unparsed("http_missing_message_id");
        var occurredAt = DateTimeOffset.TryParse(JsonPayload.Text(data, "occurredAt"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;

        switch (JsonPayload.Text(root, "type"))
        {
            case InboundType:
                if (!WireName.TryParse<Channel>(JsonPayload.Text(data, "channel"), out var channel)) return new Unparsed("http_unknown_channel");
                if (JsonPayload.Text(data, "from") is not { Length: > 0 } from || JsonPayload.Text(data, "to") is not { Length: > 0 } to)
                    return new Unparsed("http_inbound_missing_address");
                var media = JsonPayload.Items(data, "mediaUrls").Select(JsonPayload.Scalar).OfType<string>().ToList();
                var text = JsonPayload.Text(data, "body") ?? "";
                if (text.Length == 0 && media.Count == 0) return new Unparsed("http_inbound_empty");
                return new Normalized([new InboundMessageReceived(messageId, channel, from, to, text, messageId, media, occurredAt)], []);

            case StatusType:
                var word = JsonPayload.Text(data, "status");
                if (!WireName.TryParse<MessageStatus>(word, out var status) || !Reportable(status)) return new Unparsed("http_unknown_status");
                return new Normalized([new DeliveryStatusReported(messageId + ":" + WireName.Of(status), messageId, status,
                    JsonPayload.Text(data, "errorCode"), JsonPayload.Text(data, "touchpointMessageId"), occurredAt)], []);

            default:
                return new Unparsed("http_unknown_type");
        }
    }

    // Scheduled/denied/dry_run/uncertain are Touchpoint's own decisions, never a provider's report.
    static bool Reportable(MessageStatus status) => status is MessageStatus.Queued or MessageStatus.Sending
        or MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Read or MessageStatus.Failed or MessageStatus.Undelivered;
}
