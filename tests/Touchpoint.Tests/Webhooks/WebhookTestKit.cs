using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Webhooks;

/// <summary>Shared set-up for webhook tests: a host with a known public URL, provider secrets, signed requests.</summary>
public static class WebhookTestKit
{
    public const string PublicBaseUrl = "https://hooks.touchpoint.test";
    public const string TwilioToken = "twilio-auth-token-123";
    public const string MetaSecret = "meta-app-secret";
    public const string MetaVerifyToken = "meta-verify-token";
    public static readonly string HttpSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("generic-secret-0123456789abcdef"));

    public static Task<TouchpointApp> StartAsync(Store store, PostgresCluster pg) =>
        TouchpointApp.StartAsync(store, pg, settings: new Dictionary<string, string> { ["Touchpoint:PublicBaseUrl"] = PublicBaseUrl });

    public static async Task<T> DbAsync<T>(this TouchpointApp app, Func<TouchpointDb, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TouchpointDb>());
    }

    /// <summary>Interim secret storage: settings_json of provider_settings (docs/webhooks.md).</summary>
    public static Task ConfigureSecretsAsync(this TouchpointApp app, Guid workspaceId, string? sendGridPublicKey = null) =>
        app.DbAsync(async db =>
        {
            void Add(Channel channel, string provider, object settings) => db.ProviderSettings.Add(new ProviderSetting
            {
                WorkspaceId = workspaceId, Channel = channel, Provider = provider, SettingsJson = JsonSerializer.Serialize(settings),
            });
            Add(Channel.Sms, "twilio", new { authToken = TwilioToken });
            Add(Channel.Whatsapp, "meta", new { appSecret = MetaSecret, verifyToken = MetaVerifyToken });
            Add(Channel.Imessage, "http", new { webhookSecret = HttpSecret });
            if (sendGridPublicKey is not null) Add(Channel.Email, "sendgrid", new { publicKey = sendGridPublicKey });
            return await db.SaveChangesAsync();
        });

    public static async Task<Guid> CreateContactAsync(this WorkspaceClient ws, string phone)
    {
        var r = await ws.Http.PostAsJsonAsync("/api/v1/contacts", new { firstName = "Ana", channels = new[] { new { kind = "sms", value = phone } } });
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static HttpRequestMessage TwilioPost(Guid workspaceId, IEnumerable<KeyValuePair<string, string>> form, string? signature = null)
    {
        var path = $"/webhooks/twilio/{workspaceId}";
        var pairs = form.ToList();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(pairs) };
        request.Headers.TryAddWithoutValidation(TwilioSignature.Header,
            signature ?? TwilioSignature.Compute(TwilioToken, PublicBaseUrl + path, pairs));
        return request;
    }

    public static Dictionary<string, string> TwilioInbound(string sid, string from, string body) => new()
    {
        ["MessageSid"] = sid, ["SmsStatus"] = "received", ["From"] = from, ["To"] = "+14155550100", ["Body"] = body,
        ["AccountSid"] = "AC123",
    };

    public static Dictionary<string, string> TwilioStatus(string sid, string status) => new()
    {
        ["MessageSid"] = sid, ["MessageStatus"] = status, ["AccountSid"] = "AC123", ["To"] = "+14155550123",
    };

    public static Guid DeliveryId(HttpResponseMessage response) =>
        Guid.Parse(response.Headers.GetValues("X-Touchpoint-Delivery-Id").Single());

    public static Task<WebhookDelivery> DeliveryAsync(this TouchpointApp app, Guid id) =>
        app.DbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == id));

    public static async Task<Guid> InsertOutboundAsync(this TouchpointApp app, Guid workspaceId, Guid contactId, string provider,
        string providerMessageId, MessageStatus status) => await app.DbAsync(async db =>
    {
        var m = new OutboundMessage
        {
            WorkspaceId = workspaceId, ContactId = contactId, Channel = Channel.Sms, Provider = provider, Purpose = "test",
            IdempotencyKey = Guid.NewGuid().ToString(), ProviderMessageId = providerMessageId, Status = status, Body = "hi",
        };
        db.OutboundMessages.Add(m);
        await db.SaveChangesAsync();
        return m.Id;
    });
}
