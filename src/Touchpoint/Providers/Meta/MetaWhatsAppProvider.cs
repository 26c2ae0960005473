using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Providers.Meta;

/// <summary>
/// WhatsApp Cloud API (<c>POST /{version}/{phoneNumberId}/messages</c>). Settings: <c>phoneNumberId</c>,
/// optional <c>apiVersion</c> (v21.0), <c>language</c> (template language, en_US), <c>baseUrl</c>; secret
/// <c>accessToken</c> (and <c>appSecret</c>/<c>verifyToken</c> for the webhook receiver).
/// </summary>
public sealed class MetaWhatsAppProvider(HttpClient http, TimeProvider clock) : IMessageProvider
{
    public const string ProviderName = "meta";
    public const string DefaultBaseUrl = "https://graph.facebook.com";
    public const string DefaultApiVersion = "v21.0";

    /// <summary>Meta's "re-engagement message" error: free text outside the customer-service window.</summary>
    public const string OutsideWindowCode = "131047";

    public static readonly TimeSpan CustomerServiceWindow = TimeSpan.FromHours(24);

    public string Name => ProviderName;

    public bool Supports(Channel channel) => channel == Channel.Whatsapp;

    public async Task<ProviderSendResult> SendAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct)
    {
        var now = request.Now == default ? clock.GetUtcNow() : request.Now;
        // WhatsApp Business policy: free-form messages only within 24 h of the person's last message; outside
        // it only approved templates. Refused here so Meta is not called (and not charged) for a sure 131047.
        if (request.TemplateKey is null && (request.LastInboundAt is not { } last || now - last >= CustomerServiceWindow))
            return new ProviderSendResult.Rejected(OutsideWindowCode,
                "Outside the 24 h customer-service window: only template messages may be sent.", Permanent: false);

        var phoneNumberId = ProviderHttp.Require(account.Setting("phoneNumberId"), "phoneNumberId");
        var version = account.Setting("apiVersion") ?? DefaultApiVersion;
        var url = $"{ProviderHttp.BaseUrl(account, DefaultBaseUrl)}/{version}/{Uri.EscapeDataString(phoneNumberId)}/messages";
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(Payload(request, account)) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            ProviderHttp.Require(account.Secret("accessToken"), "accessToken"));
        using var response = await http.SendAsync(message, ct);
        ProviderHttp.ThrowIfOutcomeUnknown(response, ProviderName);
        var root = ProviderHttp.ParseOrUndefined(await response.Content.ReadAsStringAsync(ct));
        var status = (int)response.StatusCode;

        // Error: {"error":{"message":…,"type":"OAuthException","code":131026,"error_data":{…},"fbtrace_id":…}}
        if (!response.IsSuccessStatusCode)
        {
            var error = root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("error", out var e) ? e : default;
            return new ProviderSendResult.Rejected(ProviderHttp.Text(error, "code") ?? $"http_{status}",
                ProviderHttp.Text(error, "message") ?? $"Meta answered {status}.");
        }
        // Success: {"messaging_product":"whatsapp","contacts":[{"input":…,"wa_id":…}],"messages":[{"id":"wamid.…"}]}
        var id = root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("messages", out var messages)
            && messages.ValueKind == System.Text.Json.JsonValueKind.Array && messages.GetArrayLength() > 0
                ? ProviderHttp.Text(messages[0], "id") : null;
        return id is null
            ? throw new HttpRequestException("Meta accepted the request but returned no message id.")
            : new ProviderSendResult.Accepted(id);
    }

    public static JsonObject Payload(ProviderSendRequest request, ProviderAccount account)
    {
        var payload = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = Recipient(request.To),
            // Echoed by Meta on every status of this message: a status that arrives before the dispatcher stored the
            // wamid still finds its message by our id.
            ["biz_opaque_callback_data"] = request.MessageId.ToString(),
        };
        if (request.TemplateKey is null)
        {
            payload["type"] = "text";
            payload["text"] = new JsonObject { ["body"] = request.Body };
            return payload;
        }
        payload["type"] = "template";
        payload["template"] = Template(request.TemplateKey, request.Variables, account.Setting("language") ?? "en_US");
        return payload;
    }

    /// <summary>
    /// <c>variables.language</c> overrides the language; <c>variables.components</c> (an array) is sent as is;
    /// otherwise the other variables become the body's named text parameters (templates with named parameters).
    /// </summary>
    static JsonObject Template(string name, JsonObject? variables, string defaultLanguage)
    {
        var language = variables?["language"] is JsonValue l && l.TryGetValue<string>(out var code) ? code : defaultLanguage;
        var template = new JsonObject { ["name"] = name, ["language"] = new JsonObject { ["code"] = language } };
        if (variables?["components"] is JsonArray components)
        {
            template["components"] = components.DeepClone();
            return template;
        }
        var parameters = new JsonArray();
        foreach (var (key, value) in variables ?? [])
        {
            if (key is "language" || value is null) continue;
            parameters.Add(new JsonObject { ["type"] = "text", ["parameter_name"] = key, ["text"] = value.ToString() });
        }
        if (parameters.Count > 0)
            template["components"] = new JsonArray(new JsonObject { ["type"] = "body", ["parameters"] = parameters });
        return template;
    }

    // The Cloud API takes the number with country code and no "+" (or a whatsapp: prefix from a shared address book).
    static string Recipient(string to) => to.Replace("whatsapp:", "", StringComparison.Ordinal).TrimStart('+');
}
