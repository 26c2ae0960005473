using System.Globalization;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Twilio form posts: inbound messages, message status callbacks and voice status callbacks.
/// Field names: https://www.twilio.com/docs/messaging/guides/webhook-request and
/// https://www.twilio.com/docs/voice/twiml#request-parameters. Status callbacks posted to a
/// <see cref="StatusCallbackUrl"/> carry our message id in the query (covered by the signature).
/// </summary>
public static class TwilioWebhookNormalizer
{
    const string WhatsappPrefix = "whatsapp:";
    const int MaxMedia = 10; // Twilio caps an MMS at 10 media.

    /// <param name="form">The POST body's parameters.</param>
    /// <param name="query">The request URL's query parameters (<see cref="StatusCallbackUrl.MessageIdParameter"/>), if any.</param>
    public static WebhookNormalization Normalize(IReadOnlyList<KeyValuePair<string, string>> form,
        IReadOnlyList<KeyValuePair<string, string>>? query = null)
    {
        string? F(string key) => UrlEncodedForm.Value(form, key) is { Length: > 0 } v ? v : null;
        var ourId = query is null ? null : StatusCallbackUrl.MessageId(query);

        if (F("CallSid") is { } callSid && F("CallStatus") is { } callStatus && F("MessageSid") is null)
            return Call(callSid, callStatus, F("AnsweredBy"), F("CallDuration"), F("ErrorCode"), ourId);

        if ((F("MessageSid") ?? F("SmsSid")) is not { } sid) return new Unparsed("twilio_missing_sid");
        // Inbound posts carry SmsStatus=received (newer ones also MessageStatus=received); callbacks carry the outbound status.
        var status = F("MessageStatus") ?? F("SmsStatus");
        if (status is null or "received" or "receiving") return Inbound(sid, F, form);
        return Status(sid, status, F("ErrorCode"), ourId);
    }

    static WebhookNormalization Inbound(string sid, Func<string, string?> f, IReadOnlyList<KeyValuePair<string, string>> form)
    {
        if (f("From") is not { } from || f("To") is not { } to) return new Unparsed("twilio_inbound_missing_address");
        var whatsapp = from.StartsWith(WhatsappPrefix, StringComparison.OrdinalIgnoreCase)
            || to.StartsWith(WhatsappPrefix, StringComparison.OrdinalIgnoreCase);
        var count = int.TryParse(f("NumMedia"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, MaxMedia) : 0;
        var media = new List<string>();
        for (var i = 0; i < count; i++)
            if (UrlEncodedForm.Value(form, "MediaUrl" + i.ToString(CultureInfo.InvariantCulture)) is { Length: > 0 } url) media.Add(url);
        var body = f("Body") ?? "";
        if (body.Length == 0 && media.Count == 0) return new Unparsed("twilio_inbound_empty");
        var message = new InboundMessageReceived(sid, whatsapp ? Channel.Whatsapp : Channel.Sms,
            StripPrefix(from), StripPrefix(to), body, sid, media, null);
        return new Normalized([message], []);
    }

    static WebhookNormalization Status(string sid, string status, string? errorCode, string? ourId)
    {
        MessageStatus? mapped = status switch
        {
            "accepted" or "scheduled" or "queued" => MessageStatus.Queued,
            "sending" => MessageStatus.Sending,
            "sent" => MessageStatus.Sent,
            "delivered" => MessageStatus.Delivered,
            "read" => MessageStatus.Read,
            "undelivered" => MessageStatus.Undelivered,
            "failed" => MessageStatus.Failed,
            _ => null,
        };
        if (mapped is not { } s) return new Unparsed("twilio_unknown_message_status");
        // ARCHITECTURE §10: Twilio status callbacks dedupe on MessageSid + MessageStatus.
        return new Normalized([new DeliveryStatusReported(sid + ":" + status, sid, s, errorCode, ourId, null)], []);
    }

    static WebhookNormalization Call(string callSid, string callStatus, string? answeredBy, string? duration, string? errorCode,
        string? ourId)
    {
        MessageStatus? mapped = callStatus switch
        {
            "queued" => MessageStatus.Queued,
            "initiated" or "ringing" => MessageStatus.Sending,
            "in-progress" => MessageStatus.Sent,
            "completed" => MessageStatus.Delivered,
            "busy" or "no-answer" or "canceled" => MessageStatus.Undelivered,
            "failed" => MessageStatus.Failed,
            _ => null,
        };
        if (mapped is not { } s) return new Unparsed("twilio_unknown_call_status");
        var machine = answeredBy is not null
            && (answeredBy.StartsWith("machine", StringComparison.Ordinal) || answeredBy == "fax");
        int? seconds = int.TryParse(duration, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
        return new Normalized([new CallStatusReported(callSid + ":" + callStatus, callSid, callStatus, s, answeredBy, machine, seconds, errorCode,
            ourId)], []);
    }

    static string StripPrefix(string address) =>
        address.StartsWith(WhatsappPrefix, StringComparison.OrdinalIgnoreCase) ? address[WhatsappPrefix.Length..] : address;
}
