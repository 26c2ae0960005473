using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Providers.Http;

/// <summary>
/// A generic gateway (ringless voicemail, iMessage relays) spoken to in JSON and signed with Standard Webhooks
/// headers, the same scheme its callbacks to <c>/webhooks/http/{workspaceId}</c> use. Settings: <c>baseUrl</c>
/// (required); secret <c>webhookSecret</c> (<c>whsec_…</c>). Supports crash lookups by idempotency key.
/// </summary>
public sealed class SignedHttpProvider(HttpClient http, TimeProvider clock) : IMessageProvider
{
    public const string ProviderName = "http";

    public string Name => ProviderName;

    public bool Supports(Channel channel) => channel is Channel.Rvm or Channel.Imessage;

    public async Task<ProviderSendResult> SendAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["id"] = request.MessageId.ToString(),
            ["idempotencyKey"] = request.IdempotencyKey,
            ["channel"] = WireName.Of(request.Channel),
            ["to"] = request.To,
            ["from"] = request.From ?? account.Setting("from"),
            ["body"] = request.Body,
            ["statusCallbackUrl"] = request.StatusCallbackUrl,
        };
        using var message = Signed(HttpMethod.Post, $"{BaseUrl(account)}/messages", account, request.MessageId.ToString("N"),
            Encoding.UTF8.GetBytes(body.ToJsonString()));
        using var response = await http.SendAsync(message, ct);
        ProviderHttp.ThrowIfOutcomeUnknown(response, ProviderName);
        var status = (int)response.StatusCode;
        var root = ProviderHttp.ParseOrUndefined(await response.Content.ReadAsStringAsync(ct));
        // 409 with the existing id: the gateway already has this idempotency key, which is what we wanted.
        if (response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.Conflict && ProviderHttp.Text(root, "id") is not null))
            return ProviderHttp.Text(root, "id") is { } id
                ? new ProviderSendResult.Accepted(id, Status(root) ?? MessageStatus.Sent)
                : throw new HttpRequestException("The gateway accepted the message but returned no id.");
        return new ProviderSendResult.Rejected(ProviderHttp.Text(root, "code") ?? $"http_{status}",
            ProviderHttp.Text(root, "message") ?? $"The gateway answered {status}.");
    }

    public async Task<ProviderLookupResult> LookupAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct)
    {
        var url = $"{BaseUrl(account)}/messages/by-key/{Uri.EscapeDataString(request.IdempotencyKey)}";
        using var message = Signed(HttpMethod.Get, url, account, Guid.CreateVersion7().ToString("N"), []);
        using var response = await http.SendAsync(message, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return new ProviderLookupResult.NotFound();
        response.EnsureSuccessStatusCode(); // anything else is not an answer: the dispatcher marks it uncertain or retries
        var root = ProviderHttp.ParseOrUndefined(await response.Content.ReadAsStringAsync(ct));
        return ProviderHttp.Text(root, "id") is { } id
            ? new ProviderLookupResult.Found(id, Status(root) ?? MessageStatus.Sent)
            : throw new HttpRequestException("The gateway's lookup answer has no id.");
    }

    HttpRequestMessage Signed(HttpMethod method, string url, ProviderAccount account, string id, byte[] body)
    {
        var secret = ProviderHttp.Require(account.Secret("webhookSecret"), "webhookSecret");
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var message = new HttpRequestMessage(method, url);
        if (method != HttpMethod.Get)
            message.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        // Standard Webhooks: the gateway verifies HMAC-SHA256 over "{id}.{timestamp}.{body}" (empty body for GET).
        message.Headers.Add(StandardWebhooksSignature.IdHeader, "msg_" + id);
        message.Headers.Add(StandardWebhooksSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        message.Headers.Add(StandardWebhooksSignature.SignatureHeader, StandardWebhooksSignature.Sign(secret, "msg_" + id, timestamp, body));
        return message;
    }

    static string BaseUrl(ProviderAccount account) => ProviderHttp.Require(account.Setting("baseUrl"), "baseUrl").TrimEnd('/');

    static MessageStatus? Status(JsonElement root) =>
        WireName.TryParse<MessageStatus>(ProviderHttp.Text(root, "status"), out var s)
        && s is MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Read ? s : null;
}
