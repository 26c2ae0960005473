using System.Text.Json;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Meta webhooks. WhatsApp Cloud API: <c>entry[].changes[].value.messages[]</c> and <c>.statuses[]</c>
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). Instagram and Messenger:
/// <c>entry[].messaging[]</c> (https://developers.facebook.com/docs/messenger-platform/webhooks).
/// </summary>
public static class MetaWebhookNormalizer
{
    public static WebhookNormalization Normalize(ReadOnlyMemory<byte> body)
    {
        using var doc = JsonPayload.TryParse(body);
        if (doc is null) return new Unparsed("meta_malformed_json");
        var root = doc.RootElement;
        var channel = JsonPayload.Text(root, "object") switch
        {
            "whatsapp_business_account" => Channel.Whatsapp,
            "instagram" => Channel.Instagram,
            "page" => Channel.Messenger,
            _ => (Channel?)null,
        };
        if (channel is not { } ch) return new Unparsed("meta_unknown_object");

        var events = new List<WebhookEvent>();
        var skipped = new List<string>();
        foreach (var entry in JsonPayload.Items(root, "entry"))
        {
            foreach (var change in JsonPayload.Items(entry, "changes"))
                if (JsonPayload.Child(change, "value") is { ValueKind: JsonValueKind.Object } value) WhatsApp(value, events, skipped);
            foreach (var messaging in JsonPayload.Items(entry, "messaging")) Messaging(ch, messaging, events, skipped);
        }
        return events.Count > 0 ? new Normalized(events, skipped)
            : new Unparsed(skipped.Count > 0 ? "meta_no_usable_event: " + skipped[0] : "meta_no_messages_or_statuses");
    }

    static void WhatsApp(JsonElement value, List<WebhookEvent> events, List<string> skipped)
    {
        var metadata = JsonPayload.Child(value, "metadata");
        var to = JsonPayload.Text(metadata, "display_phone_number") ?? JsonPayload.Text(metadata, "phone_number_id");
        foreach (var message in JsonPayload.Items(value, "messages"))
        {
            var id = JsonPayload.Text(message, "id");
            var from = JsonPayload.Text(message, "from");
            if (id is not { Length: > 0 } || from is not { Length: > 0 } || to is null) { skipped.Add("whatsapp_message_missing_id_or_address"); continue; }
            var type = JsonPayload.Text(message, "type");
            // Replies are what matter to a cadence, so media and buttons count too; their text is the caption/label.
            var text = type switch
            {
                "text" => JsonPayload.Text(JsonPayload.Child(message, "text"), "body"),
                "button" => JsonPayload.Text(JsonPayload.Child(message, "button"), "text"),
                "interactive" => InteractiveTitle(JsonPayload.Child(message, "interactive")),
                "image" or "video" or "document" or "audio" or "sticker" =>
                    JsonPayload.Text(JsonPayload.Child(message, type), "caption") ?? "",
                _ => null,
            };
            if (text is null) { skipped.Add("whatsapp_unsupported_message_type"); continue; }
            events.Add(new InboundMessageReceived(id, Channel.Whatsapp, E164(from), E164(to), text, id, [],
                JsonPayload.UnixTime(JsonPayload.Text(message, "timestamp"))));
        }
        foreach (var status in JsonPayload.Items(value, "statuses"))
        {
            var id = JsonPayload.Text(status, "id");
            var word = JsonPayload.Text(status, "status");
            MessageStatus? mapped = word switch
            {
                "sent" => MessageStatus.Sent,
                "delivered" => MessageStatus.Delivered,
                "read" => MessageStatus.Read,
                "failed" => MessageStatus.Failed,
                _ => null,
            };
            if (id is not { Length: > 0 } || mapped is not { } s) { skipped.Add("whatsapp_status_missing_id_or_unknown"); continue; }
            var error = JsonPayload.Items(status, "errors").Select(e => JsonPayload.Text(e, "code")).FirstOrDefault(c => c is not null);
            // The send carries our message id as biz_opaque_callback_data, which Meta echoes on every status: it matches
            // a status that arrives before the dispatcher stored the wamid. Anything else in it is not ours.
            var ourId = Guid.TryParse(JsonPayload.Text(status, "biz_opaque_callback_data"), out var guid) ? guid.ToString() : null;
            events.Add(new DeliveryStatusReported(id + ":" + word, id, s, error, ourId,
                JsonPayload.UnixTime(JsonPayload.Text(status, "timestamp"))));
        }
    }

    static void Messaging(Channel channel, JsonElement item, List<WebhookEvent> events, List<string> skipped)
    {
        var message = JsonPayload.Child(item, "message");
        if (message is null) { skipped.Add("messaging_not_a_message"); return; }
        // Echoes are our own outbound messages reflected back; they are not replies.
        if (JsonPayload.Text(message, "is_echo") == "true") { skipped.Add("messaging_echo"); return; }
        var id = JsonPayload.Text(message, "mid");
        var from = JsonPayload.Text(JsonPayload.Child(item, "sender"), "id");
        var to = JsonPayload.Text(JsonPayload.Child(item, "recipient"), "id");
        if (id is not { Length: > 0 } || from is not { Length: > 0 } || to is not { Length: > 0 }) { skipped.Add("messaging_missing_id_or_address"); return; }
        var text = JsonPayload.Text(message, "text") ?? "";
        var media = JsonPayload.Items(message, "attachments")
            .Select(a => JsonPayload.Text(JsonPayload.Child(a, "payload"), "url")).OfType<string>().ToList();
        if (text.Length == 0 && media.Count == 0) { skipped.Add("messaging_empty"); return; }
        events.Add(new InboundMessageReceived(id, channel, from, to, text, id, media,
            JsonPayload.UnixTime(JsonPayload.Text(item, "timestamp"), milliseconds: true)));
    }

    static string? InteractiveTitle(JsonElement? interactive) =>
        JsonPayload.Text(JsonPayload.Child(interactive, "button_reply"), "title")
        ?? JsonPayload.Text(JsonPayload.Child(interactive, "list_reply"), "title");

    // WhatsApp sends wa_id digits without '+'; Touchpoint stores E.164.
    static string E164(string digits) => digits.StartsWith('+') ? digits : "+" + digits.Replace(" ", "", StringComparison.Ordinal);
}
