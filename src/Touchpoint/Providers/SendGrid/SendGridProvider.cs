using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Providers.SendGrid;

/// <summary>
/// SendGrid v3 Mail Send (<c>POST /v3/mail/send</c>, 202 + <c>X-Message-Id</c>). Settings: <c>from</c>,
/// optional <c>fromName</c>, <c>baseUrl</c>; secret <c>apiKey</c> (and <c>publicKey</c> for the event webhook).
/// Our message id rides in <c>custom_args</c>, which SendGrid echoes on every event of the message.
/// </summary>
public sealed class SendGridProvider(HttpClient http) : IMessageProvider
{
    public const string ProviderName = "sendgrid";
    public const string DefaultBaseUrl = "https://api.sendgrid.com";

    public string Name => ProviderName;

    public bool Supports(Channel channel) => channel == Channel.Email;

    public async Task<ProviderSendResult> SendAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct)
    {
        var url = $"{ProviderHttp.BaseUrl(account, DefaultBaseUrl)}/v3/mail/send";
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(Payload(request, account)) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProviderHttp.Require(account.Secret("apiKey"), "apiKey"));
        using var response = await http.SendAsync(message, ct);
        ProviderHttp.ThrowIfOutcomeUnknown(response, ProviderName);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var id = response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null;
            return id is null
                ? throw new HttpRequestException("SendGrid accepted the mail but returned no X-Message-Id.")
                : new ProviderSendResult.Accepted(id);
        }
        // {"errors":[{"message":"The from address does not match a verified Sender Identity…","field":"from","help":null}]}
        var root = ProviderHttp.ParseOrUndefined(await response.Content.ReadAsStringAsync(ct));
        var messages = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
            ? errors.EnumerateArray().Select(e => Describe(e)).Where(m => m is not null).ToList()
            : [];
        return new ProviderSendResult.Rejected($"http_{status}",
            messages.Count > 0 ? string.Join("; ", messages) : $"SendGrid answered {status}.");
    }

    static string? Describe(JsonElement error) =>
        (ProviderHttp.Text(error, "field"), ProviderHttp.Text(error, "message")) switch
        {
            ({ } field, { } text) => $"{field}: {text}",
            (null, { } text) => text,
            _ => null,
        };

    public static JsonObject Payload(ProviderSendRequest request, ProviderAccount account)
    {
        var from = new JsonObject { ["email"] = request.From ?? ProviderHttp.Require(account.Setting("from"), "from") };
        if (account.Setting("fromName") is { } name) from["name"] = name;
        var payload = new JsonObject
        {
            ["personalizations"] = new JsonArray(new JsonObject
            {
                ["to"] = new JsonArray(new JsonObject { ["email"] = request.To }),
            }),
            ["from"] = from,
            ["subject"] = request.Subject ?? "",
            ["content"] = new JsonArray(new JsonObject
            {
                ["type"] = Smtp.EmailBody.LooksLikeHtml(request.Body) ? "text/html" : "text/plain", ["value"] = request.Body,
            }),
            ["custom_args"] = new JsonObject
            {
                [SendGridEventNormalizer.TouchpointMessageIdArg] = request.MessageId.ToString(),
                ["touchpoint_workspace_id"] = request.WorkspaceId.ToString(),
            },
        };
        if (request.UnsubscribeUrl is not null)
            payload["headers"] = new JsonObject
            {
                // RFC 8058: both headers, so mailbox providers can unsubscribe with one POST and no login.
                ["List-Unsubscribe"] = $"<{request.UnsubscribeUrl}>",
                ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            };
        return payload;
    }
}
