using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Providers;
using Touchpoint.Tests.Webhooks;
using static Touchpoint.Tests.Messaging.MessageSendTests;

namespace Touchpoint.Tests.Messaging;

/// <summary>
/// A delivery callback can arrive while the provider call that sent the message is still in flight (ARCHITECTURE §4
/// steps 5–6). Each fake provider here posts its callbacks through the real webhook endpoint BEFORE it answers the send,
/// so they are applied while the row is <c>sending</c>: the dispatcher's outcome must not put the status back, and a
/// Twilio or Meta callback must find its message by our id before the provider's id is stored.
/// </summary>
public sealed class EarlyCallbackTests(PostgresCluster pg)
{
    // Tuesday 2026-03-10 18:00 UTC = 11:00 in Los Angeles: inside every window.
    const string Midday = "2026-03-10T18:00:00Z";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Single: a sender bucket applies, so the job runs alone. Batch: no bucket, <c>HandleBatchAsync</c> sends it.</summary>
    public enum DispatchPath { Single, Batch }

    [Theory]
    [InlineData(Store.Sqlite, DispatchPath.Single), InlineData(Store.Sqlite, DispatchPath.Batch)]
    [InlineData(Store.Postgres, DispatchPath.Single), InlineData(Store.Postgres, DispatchPath.Batch)]
    public async Task A_delivered_callback_applied_while_the_message_is_sending_is_not_put_back_to_sent(Store store, DispatchPath path)
    {
        await using var app = await StartAsync(store);
        var ws = await app.NewWorkspaceAsync();
        await using var gateway = await FakeProviderServer.StartAsync();
        var callbacks = new List<HttpStatusCode>();
        gateway.RespondAsync = async sent =>
        {
            // The generic provider's callback names our message (touchpointMessageId), signed like the send itself.
            var ours = sent.Json.GetProperty("id").GetString();
            var body = Encoding.UTF8.GetBytes($$$"""{"type":"message.status","data":{"messageId":"gw-early","status":"delivered","touchpointMessageId":"{{{ours}}}"}}""");
            var timestamp = long.Parse(sent.Header(StandardWebhooksSignature.TimestampHeader)!, CultureInfo.InvariantCulture);
            using var callback = new HttpRequestMessage(HttpMethod.Post, CallbackPath(sent.Json.GetProperty("statusCallbackUrl").GetString()!))
            {
                Content = new ByteArrayContent(body),
            };
            callback.Headers.Add(StandardWebhooksSignature.IdHeader, "msg_early");
            callback.Headers.Add(StandardWebhooksSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            callback.Headers.Add(StandardWebhooksSignature.SignatureHeader, StandardWebhooksSignature.Sign(WebhookTestKit.HttpSecret, "msg_early", timestamp, body));
            callbacks.Add((await app.Anonymous.SendAsync(callback, Ct)).StatusCode);
            return new FakeResponse(200, """{"id":"gw-early","status":"sent"}""");
        };
        var settings = new Dictionary<string, string> { ["baseUrl"] = gateway.Url, ["webhookSecret"] = WebhookTestKit.HttpSecret };
        if (path == DispatchPath.Single) settings["from"] = "+447911100000"; // the sender bucket's default limit: runs alone
        (await ws.Http.PutAsJsonAsync("/api/v1/providers/imessage", new { provider = "http", settings }, Ct)).EnsureSuccessStatusCode();
        var contact = (await MultiWorkerKit.CreateContactsAsync(ws, 1))[0];

        var id = await QueueAsync(ws, new { contactId = contact, channel = "imessage", body = "Are you in?" });
        await AdvanceAsync(app, 1);

        Assert.Equal([HttpStatusCode.OK], callbacks);
        var message = await ws.GetJsonAsync($"/api/v1/messages/{id}");
        Assert.Equal("delivered", message.GetProperty("status").GetString());
        Assert.Equal("gw-early", message.GetProperty("providerMessageId").GetString());
        Assert.Equal(JsonValueKind.String, message.GetProperty("sentAt").ValueKind);
        Assert.Equal(JsonValueKind.String, message.GetProperty("deliveredAt").ValueKind);
        // History keeps both words: the callback's delivered and the dispatcher's own sent.
        var history = History(message);
        Assert.Contains(("delivery_status", "delivered"), history);
        Assert.Contains(("status", "sent"), history);
        Assert.Null(await app.DbAsync(db => db.OutboundMessages.Where(m => m.Id == id).Select(m => m.SendingLeaseUntil).SingleAsync(Ct)));
    }

    [Theory]
    [InlineData(Store.Sqlite, DispatchPath.Single), InlineData(Store.Sqlite, DispatchPath.Batch)]
    [InlineData(Store.Postgres, DispatchPath.Single), InlineData(Store.Postgres, DispatchPath.Batch)]
    public async Task A_twilio_callback_posted_before_the_sid_is_stored_finds_its_message_by_the_callback_url(Store store, DispatchPath path)
    {
        await using var app = await StartAsync(store);
        var ws = await app.NewWorkspaceAsync();
        await using var twilio = await FakeProviderServer.StartAsync();
        var callbacks = new List<HttpStatusCode>();
        twilio.RespondAsync = async sent =>
        {
            // Twilio signs the StatusCallback URL exactly as it was given, query included.
            var url = sent.Form["StatusCallback"];
            foreach (var status in new[] { "sent", "delivered" })
            {
                var form = WebhookTestKit.TwilioStatus("SMearly0001", status).ToList();
                using var callback = new HttpRequestMessage(HttpMethod.Post, CallbackPath(url)) { Content = new FormUrlEncodedContent(form) };
                callback.Headers.Add(TwilioSignature.Header, TwilioSignature.Compute(WebhookTestKit.TwilioToken, url, form));
                callbacks.Add((await app.Anonymous.SendAsync(callback, Ct)).StatusCode);
            }
            return new FakeResponse(201, """{"sid":"SMearly0001","status":"queued","price":null}""");
        };
        var settings = new Dictionary<string, string>
        {
            ["accountSid"] = "AC0123456789abcdef0123456789abcdef", ["authToken"] = WebhookTestKit.TwilioToken, ["baseUrl"] = twilio.Url,
        };
        if (path == DispatchPath.Single) settings["from"] = "+14155550100";
        else settings["messagingServiceSid"] = "MG0123456789abcdef0123456789abcdef";
        (await ws.Http.PutAsJsonAsync("/api/v1/providers/sms", new { provider = "twilio", settings }, Ct)).EnsureSuccessStatusCode();
        var contact = await OptedInContactAsync(ws);

        var id = await QueueAsync(ws, new { contactId = contact, channel = "sms", body = "See you at 3" });
        await AdvanceAsync(app, 1);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], callbacks);
        var message = await ws.GetJsonAsync($"/api/v1/messages/{id}");
        Assert.Equal("delivered", message.GetProperty("status").GetString());
        Assert.Equal($"{WebhookTestKit.PublicBaseUrl}/webhooks/twilio/{ws.Id}?tp_message_id={id}", twilio.Single().Form["StatusCallback"]);
        Assert.Equal("SMearly0001", message.GetProperty("providerMessageId").GetString());
        Assert.Equal(JsonValueKind.String, message.GetProperty("sentAt").ValueKind);
        var history = History(message);
        Assert.Contains(("delivery_status", "sent"), history);
        Assert.Contains(("delivery_status", "delivered"), history);
        Assert.Contains(("status", "sent"), history);
        Assert.Equal(0, await app.DbAsync(db => db.MessageEvents.CountAsync(e => e.WorkspaceId == ws.Id && e.MessageId == null, Ct)));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_meta_status_posted_before_the_wamid_is_stored_finds_its_message_by_biz_opaque_callback_data(Store store)
    {
        await using var app = await StartAsync(store);
        var ws = await app.NewWorkspaceAsync();
        await using var meta = await FakeProviderServer.StartAsync();
        var callbacks = new List<HttpStatusCode>();
        meta.RespondAsync = async sent =>
        {
            // Meta echoes the send's biz_opaque_callback_data on each status of that message.
            var opaque = sent.Json.GetProperty("biz_opaque_callback_data").GetString();
            var body = Encoding.UTF8.GetBytes($$$"""
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{
                 "messaging_product":"whatsapp","metadata":{"display_phone_number":"14155550100","phone_number_id":"106540352242922"},
                 "statuses":[{"id":"wamid.early","status":"delivered","recipient_id":"14155550123","biz_opaque_callback_data":"{{{opaque}}}"}]}}]}]}
                """);
            using var callback = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/meta/{ws.Id}") { Content = new ByteArrayContent(body) };
            callback.Headers.Add(MetaSignature.Header, MetaSignature.Compute(WebhookTestKit.MetaSecret, body));
            callbacks.Add((await app.Anonymous.SendAsync(callback, Ct)).StatusCode);
            return new FakeResponse(200, """{"messaging_product":"whatsapp","messages":[{"id":"wamid.early"}]}""");
        };
        (await ws.Http.PutAsJsonAsync("/api/v1/providers/whatsapp", new
        {
            provider = "meta",
            settings = new { phoneNumberId = "106540352242922", baseUrl = meta.Url, accessToken = "EAAG-token", appSecret = WebhookTestKit.MetaSecret },
        }, Ct)).EnsureSuccessStatusCode();
        (await ws.Http.PutAsJsonAsync("/api/v1/templates/reminder",
            new { channel = "whatsapp", body = "Your appointment is at 3", providerTemplate = "appointment_reminder" }, Ct)).EnsureSuccessStatusCode();
        var contact = await OptedInContactAsync(ws);
        (await ws.PutConsentAsync(contact, "whatsapp", "opt_in")).EnsureSuccessStatusCode();

        var id = await QueueAsync(ws, new { contactId = contact, channel = "whatsapp", templateKey = "reminder" });
        await AdvanceAsync(app, 1);

        Assert.Equal(id.ToString(), meta.Single().Json.GetProperty("biz_opaque_callback_data").GetString());
        Assert.Equal([HttpStatusCode.OK], callbacks);
        var message = await ws.GetJsonAsync($"/api/v1/messages/{id}");
        Assert.Equal("delivered", message.GetProperty("status").GetString());
        Assert.Equal("wamid.early", message.GetProperty("providerMessageId").GetString());
        Assert.Contains(("delivery_status", "delivered"), History(message));
        Assert.Equal(0, await app.DbAsync(db => db.MessageEvents.CountAsync(e => e.WorkspaceId == ws.Id && e.MessageId == null, Ct)));
    }

    /// <summary>Dispatch runs only when the test advances the clock; callbacks verify against the test kit's public URL.</summary>
    Task<TouchpointApp> StartAsync(Store store) => TouchpointApp.StartAsync(store, pg, clockAt: Midday, settings: new Dictionary<string, string>
    {
        ["Touchpoint:Scheduler:Workers"] = "0", ["Touchpoint:PublicBaseUrl"] = WebhookTestKit.PublicBaseUrl,
    });

    static async Task<Guid> QueueAsync(WorkspaceClient ws, object body)
    {
        var accepted = await (await SendAsync(ws, body, Guid.NewGuid().ToString("N"))).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
        return accepted.GetProperty("id").GetGuid();
    }

    /// <summary>The callback URL a provider was given, as a path on the test host (the public base is not resolvable).</summary>
    static string CallbackPath(string callbackUrl) => new Uri(callbackUrl).PathAndQuery;

    static List<(string?, string?)> History(JsonElement message) =>
        [.. message.GetProperty("history").EnumerateArray().Select(h => (h.GetProperty("eventType").GetString(), h.GetProperty("status").GetString()))];
}
