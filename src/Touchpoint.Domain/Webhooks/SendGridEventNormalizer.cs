using System.Text.Json;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// SendGrid Event Webhook body: a JSON array of events, each deduplicated on <c>sg_event_id</c>.
/// Fields: https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event.
/// </summary>
public static class SendGridEventNormalizer
{
    /// <summary>Custom arg under which Touchpoint puts its own message id when sending.</summary>
    public const string TouchpointMessageIdArg = "touchpoint_message_id";

    // SendGrid's own fields; every other top-level scalar is one of our custom_args.
    static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "email", "timestamp", "smtp-id", "event", "category", "sg_event_id", "sg_message_id", "reason", "status",
        "response", "attempt", "useragent", "ip", "url", "url_offset", "type", "bounce_classification", "tls",
        "cert_err", "asm_group_id", "sg_machine_open", "sg_template_id", "sg_template_name", "sg_content_type",
        "pool", "send_at", "marketing_campaign_id", "marketing_campaign_name", "marketing_campaign_version",
        "marketing_campaign_split_id", "singlesend_id", "singlesend_name", "template_id", "mc_stats", "phase_id",
    };

    public static WebhookNormalization Normalize(ReadOnlyMemory<byte> body)
    {
        using var doc = JsonPayload.TryParse(body);
        if (doc is null) return new Unparsed("sendgrid_malformed_json");
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return new Unparsed("sendgrid_not_an_array");
        var events = new List<WebhookEvent>();
        var skipped = new List<string>();
        var index = 0;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            var outcome = Event(item);
            if (outcome.Event is { } e) events.Add(e);
            else skipped.Add($"[{index}] {outcome.Skip}");
            index++;
        }
        return events.Count > 0 ? new Normalized(events, skipped)
            : new Unparsed(skipped.Count > 0 ? "sendgrid_no_usable_event: " + skipped[0] : "sendgrid_empty");
    }

    static (EmailEventReported? Event, string? Skip) Event(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object) return (null, "not_an_object");
        if (JsonPayload.Text(item, "sg_event_id") is not { Length: > 0 } eventId) return (null, "missing_sg_event_id");
        if (JsonPayload.Text(item, "email") is not { Length: > 0 } email) return (null, "missing_email");
        var name = JsonPayload.Text(item, "event");
        var reason = JsonPayload.Text(item, "reason");
        EmailEventKind? kind = name switch
        {
            "processed" => EmailEventKind.Processed,
            "delivered" => EmailEventKind.Delivered,
            "deferred" => EmailEventKind.Deferred,
            "dropped" => EmailEventKind.Dropped,
            // A bounce event's "type" tells a permanent bounce from a (temporary) block.
            "bounce" => JsonPayload.Text(item, "type") == "blocked" ? EmailEventKind.Blocked : EmailEventKind.Bounced,
            "open" => EmailEventKind.Opened,
            "click" => EmailEventKind.Clicked,
            "spamreport" => EmailEventKind.SpamReported,
            "unsubscribe" => EmailEventKind.Unsubscribed,
            "group_unsubscribe" => EmailEventKind.GroupUnsubscribed,
            _ => null,
        };
        if (kind is not { } k) return (null, "unknown_event");

        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in item.EnumerateObject())
            if (!KnownFields.Contains(property.Name) && JsonPayload.Scalar(property.Value) is { } value)
                custom[property.Name] = value;
        var sgMessageId = JsonPayload.Text(item, "sg_message_id");
        var dot = sgMessageId?.IndexOf('.', StringComparison.Ordinal) ?? -1;

        return (new EmailEventReported(eventId, k, dot > 0 ? sgMessageId![..dot] : sgMessageId, email,
            JsonPayload.UnixTime(JsonPayload.Text(item, "timestamp")), StatusOf(k), SuppressionOf(k, reason), reason,
            JsonPayload.Text(item, "url"), custom.GetValueOrDefault(TouchpointMessageIdArg), custom), null);
    }

    static MessageStatus? StatusOf(EmailEventKind kind) => kind switch
    {
        EmailEventKind.Processed => MessageStatus.Sent,
        EmailEventKind.Delivered => MessageStatus.Delivered,
        // An open or click proves the message was read; the status order lets it skip delivered.
        EmailEventKind.Opened or EmailEventKind.Clicked => MessageStatus.Read,
        EmailEventKind.Bounced or EmailEventKind.Blocked => MessageStatus.Undelivered,
        EmailEventKind.Dropped => MessageStatus.Failed,
        _ => null,
    };

    static SuppressionReason SuppressionOf(EmailEventKind kind, string? reason) => kind switch
    {
        EmailEventKind.Bounced => SuppressionReason.Bounced,
        EmailEventKind.SpamReported => SuppressionReason.Complaint,
        EmailEventKind.Unsubscribed or EmailEventKind.GroupUnsubscribed => SuppressionReason.OptedOut,
        // SendGrid drops mail to addresses on its own lists and says which list in "reason".
        EmailEventKind.Dropped when reason is not null => reason switch
        {
            _ when reason.Contains("Bounced Address", StringComparison.OrdinalIgnoreCase) => SuppressionReason.Bounced,
            _ when reason.Contains("Spam Reporting Address", StringComparison.OrdinalIgnoreCase) => SuppressionReason.Complaint,
            _ when reason.Contains("Unsubscribed Address", StringComparison.OrdinalIgnoreCase) => SuppressionReason.OptedOut,
            _ => SuppressionReason.None,
        },
        _ => SuppressionReason.None,
    };
}
