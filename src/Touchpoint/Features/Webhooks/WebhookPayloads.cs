using System.Text;
using System.Text.Json;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Features.Webhooks;

/// <summary>Turns archived bytes into normalized events, per provider; never throws (garbage → <see cref="Unparsed"/>).</summary>
public static class WebhookPayloads
{
    /// <param name="query">The archived query string (<c>?a=b</c>): Twilio's signed callback URL carries our message id there.</param>
    public static WebhookNormalization Normalize(string provider, byte[] body, string? query = null) => provider switch
    {
        WebhookProviders.Twilio => TwilioWebhookNormalizer.Normalize(UrlEncodedForm.Parse(Encoding.UTF8.GetString(body)),
            UrlEncodedForm.ParseQuery(query ?? "")),
        WebhookProviders.SendGrid => SendGridEventNormalizer.Normalize(body),
        WebhookProviders.Meta => MetaWebhookNormalizer.Normalize(body),
        WebhookProviders.Http => GenericHttpWebhookNormalizer.Normalize(body),
        WebhookProviders.Sandbox => SandboxPayload.Normalize(body),
        _ => new Unparsed($"unknown provider '{provider}'"),
    };
}

/// <summary>
/// What the sandbox archives: the already-decided event, so reprocessing it rebuilds the very same
/// normalized event. <see cref="Kind"/> is <c>inbound</c> or <c>status</c>.
/// </summary>
public sealed record SandboxPayload(string Kind, string DedupeKey, Channel? Channel, string? From, string? To, string? Body,
    Guid? MessageId, MessageStatus? Status, string? ErrorCode, DateTimeOffset OccurredAt)
{
    public const string Inbound = "inbound";
    public const string StatusKind = "status";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static WebhookNormalization Normalize(byte[] body)
    {
        SandboxPayload? p;
        try { p = JsonSerializer.Deserialize<SandboxPayload>(body, Json); }
        catch (JsonException ex) { return new Unparsed($"sandbox payload is not valid JSON: {ex.Message}"); }
        WebhookEvent? e = p switch
        {
            { Kind: Inbound, Channel: { } ch, From: { } from } => new InboundMessageReceived(p.DedupeKey, ch, from,
                p.To ?? "", p.Body ?? "", p.DedupeKey, [], p.OccurredAt),
            { Kind: StatusKind, MessageId: { } id, Status: { } status } => new DeliveryStatusReported(p.DedupeKey,
                id.ToString(), status, p.ErrorCode, id.ToString(), p.OccurredAt),
            _ => null,
        };
        return e is null ? new Unparsed("sandbox payload lacks its kind's fields") : new Normalized([e], []);
    }
}
