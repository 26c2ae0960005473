using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Tests.Infrastructure;
using static Touchpoint.Tests.Webhooks.WebhookTestKit;

namespace Touchpoint.Tests.Webhooks;

public sealed class ProviderWebhookTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_sendgrid_event_signed_with_a_p256_key_advances_the_email_and_a_tampered_one_is_refused(Store store)
    {
        await using var app = await StartAsync(store, pg);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (ws, messageId) = await SendGridEmailAsync(app, key, "sgmsg1");
        var body = Encoding.UTF8.GetBytes("""[{"email":"ana@example.com","timestamp":1741528800,"event":"delivered","sg_event_id":"ev-1","sg_message_id":"sgmsg1.filter0001"}]""");
        const string timestamp = "1741528800";
        var signature = SignedLikeSendGrid(key, timestamp, body);

        HttpRequestMessage Post(byte[] payload) => new(HttpMethod.Post, $"/webhooks/sendgrid/{ws.Id}")
        {
            Content = new ByteArrayContent(payload) { Headers = { { "Content-Type", "application/json" } } },
            Headers = { { SendGridSignature.SignatureHeader, signature }, { SendGridSignature.TimestampHeader, timestamp } },
        };

        var ok = await app.Anonymous.SendAsync(Post(body), Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("processed", (await ok.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("outcome").GetString());
        Assert.Equal(MessageStatus.Delivered, await app.DbAsync(db => db.OutboundMessages.Where(m => m.Id == messageId).Select(m => m.Status).SingleAsync(Ct)));
        Assert.Equal(1, await app.DbAsync(db => db.MessageEvents.CountAsync(e => e.MessageId == messageId && e.EventType == "email_delivered", Ct)));

        var tampered = await app.Anonymous.SendAsync(Post([.. body, (byte)' ']), Ct);
        await ProblemAssert.IsProblemAsync(tampered, HttpStatusCode.Unauthorized);
        Assert.Equal(WebhookOutcome.RejectedSignature, (await app.DeliveryAsync(DeliveryId(tampered))).Outcome);
    }

    /// <summary>SendGrid retries and re-batches: an event already applied inside an earlier array is found by its own id.</summary>
    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_sendgrid_array_overlapping_an_earlier_one_applies_only_its_new_events(Store store)
    {
        await using var app = await StartAsync(store, pg);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (ws, messageId) = await SendGridEmailAsync(app, key, "sgmsg2");
        const string timestamp = "1741528800";

        async Task<JsonElement> PostAsync(params string[] events)
        {
            var body = Encoding.UTF8.GetBytes("[" + string.Join(",", events.Select(e =>
                $$"""{"email":"ana@example.com","timestamp":1741528800,"event":"{{e.Split(':')[1]}}","sg_event_id":"{{e.Split(':')[0]}}","sg_message_id":"sgmsg2.filter0001"}""")) + "]");
            var signature = SignedLikeSendGrid(key, timestamp, body);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/sendgrid/{ws.Id}")
            {
                Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
                Headers = { { SendGridSignature.SignatureHeader, signature }, { SendGridSignature.TimestampHeader, timestamp } },
            };
            var response = await app.Anonymous.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        }

        await PostAsync("ev-a:processed", "ev-b:delivered");
        var overlapping = await PostAsync("ev-b:delivered", "ev-c:open");

        Assert.Equal("processed", overlapping.GetProperty("outcome").GetString());
        Assert.Equal("1 event(s) already applied", (await app.DeliveryAsync(overlapping.GetProperty("deliveryId").GetGuid())).Error);
        var events = await app.DbAsync(db => db.MessageEvents.Where(e => e.MessageId == messageId).Select(e => e.ProviderEventId).ToListAsync(Ct));
        Assert.Equal(["ev-a", "ev-b", "ev-c"], events.Order().ToList());
    }

    /// <summary>A workspace that verifies SendGrid events with <paramref name="key"/>, and an email sent under <paramref name="sgMessageId"/>.</summary>
    static async Task<(WorkspaceClient Ws, Guid MessageId)> SendGridEmailAsync(TouchpointApp app, ECDsa key, string sgMessageId)
    {
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id, sendGridPublicKey: Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        var contactId = await ws.CreateContactAsync("+14155550123");
        return (ws, await app.InsertOutboundAsync(ws.Id, contactId, "sendgrid", sgMessageId, MessageStatus.Sent));
    }

    /// <summary>SendGrid's scheme: ECDSA P-256 over the timestamp followed by the raw body, DER-encoded, base64.</summary>
    static string SignedLikeSendGrid(ECDsa key, string timestamp, byte[] body) => Convert.ToBase64String(
        key.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    [Fact]
    public async Task The_meta_handshake_echoes_the_challenge_for_our_verify_token_and_refuses_a_wrong_one()
    {
        await using var app = await StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);

        var ok = await app.Anonymous.GetAsync($"/webhooks/meta/{ws.Id}?hub.mode=subscribe&hub.verify_token={MetaVerifyToken}&hub.challenge=1158201444", Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync(Ct));
        var archived = await app.DeliveryAsync(DeliveryId(ok));
        Assert.DoesNotContain(MetaVerifyToken, archived.QueryString, StringComparison.Ordinal);

        var wrong = await app.Anonymous.GetAsync($"/webhooks/meta/{ws.Id}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", Ct);
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Forbidden);
        Assert.Equal(WebhookOutcome.RejectedSignature, (await app.DeliveryAsync(DeliveryId(wrong))).Outcome);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_meta_whatsapp_message_signed_with_the_app_secret_becomes_an_inbound_message(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        var contactId = await ws.CreateContactAsync("+14155550123");
        var body = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"14155550100","phone_number_id":"9"},"messages":[{"from":"14155550123","id":"wamid.A1","timestamp":"1741528800","type":"text","text":{"body":"AYUDA"}}]}}]}]}""");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/meta/{ws.Id}") { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation(MetaSignature.Header, MetaSignature.Compute(MetaSecret, body));

        var response = await app.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inbound = await app.DbAsync(db => db.InboundMessages.AsNoTracking().SingleAsync(m => m.WorkspaceId == ws.Id, Ct));
        Assert.Equal((contactId, Channel.Whatsapp, "help"), (inbound.ContactId!.Value, inbound.Channel, inbound.KeywordClass));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_standard_webhooks_signed_generic_status_event_is_applied_once(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        var contactId = await ws.CreateContactAsync("+14155550123");
        var messageId = await app.InsertOutboundAsync(ws.Id, contactId, "http", "gw-2", MessageStatus.Sent);
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"message.status","data":{"messageId":"gw-2","status":"delivered","touchpointMessageId":"{{{messageId}}}"}}""");

        HttpRequestMessage Signed(string id)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/http/{ws.Id}") { Content = new ByteArrayContent(body) };
            request.Headers.TryAddWithoutValidation(StandardWebhooksSignature.IdHeader, id);
            request.Headers.TryAddWithoutValidation(StandardWebhooksSignature.TimestampHeader, now.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(StandardWebhooksSignature.SignatureHeader, StandardWebhooksSignature.Sign(HttpSecret, id, now, body));
            return request;
        }

        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(Signed("msg_1"), Ct)).StatusCode);
        var retry = await app.Anonymous.SendAsync(Signed("msg_1"), Ct);
        Assert.Equal("duplicate", (await retry.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("outcome").GetString());
        Assert.Equal(MessageStatus.Delivered, await app.DbAsync(db => db.OutboundMessages.Where(m => m.Id == messageId).Select(m => m.Status).SingleAsync(Ct)));
        Assert.Equal(1, await app.DbAsync(db => db.MessageEvents.CountAsync(e => e.MessageId == messageId, Ct)));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Sandbox_inbound_and_events_go_through_the_same_pipeline(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contactId = await ws.CreateContactAsync("+14155550123");

        var reply = await ws.Http.PostAsJsonAsync("/api/v1/sandbox/inbound", new { channel = "sms", from = "(415) 555-0123", body = "please stop texting me" }, Ct);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var inbound = await app.DbAsync(db => db.InboundMessages.AsNoTracking().SingleAsync(m => m.WorkspaceId == ws.Id, Ct));
        Assert.Equal((contactId, "opt_out_like"), (inbound.ContactId!.Value, inbound.KeywordClass));
        var delivery = await app.DeliveryAsync(inbound.WebhookDeliveryId!.Value);
        Assert.Equal(("sandbox", WebhookOutcome.Processed), (delivery.Provider, delivery.Outcome));

        var messageId = await app.InsertOutboundAsync(ws.Id, contactId, "sandbox", "x", MessageStatus.Sent);
        foreach (var status in new[] { "delivered", "delivered" })
            Assert.Equal(HttpStatusCode.OK, (await ws.Http.PostAsJsonAsync("/api/v1/sandbox/events", new { messageId, status }, Ct)).StatusCode);
        Assert.Equal(MessageStatus.Delivered, await app.DbAsync(db => db.OutboundMessages.Where(m => m.Id == messageId).Select(m => m.Status).SingleAsync(Ct)));
        Assert.Equal(1, await app.DbAsync(db => db.MessageEvents.CountAsync(e => e.MessageId == messageId, Ct)));
        Assert.Equal(1, await app.DbAsync(db => db.WebhookDeliveries.CountAsync(d => d.WorkspaceId == ws.Id && d.Outcome == WebhookOutcome.Duplicate, Ct)));

        var bad = await ws.Http.PostAsJsonAsync("/api/v1/sandbox/events", new { messageId = "nope", status = "teleported" }, Ct);
        var problem = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "status");
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsJsonAsync("/api/v1/sandbox/events", new { messageId = Guid.NewGuid(), status = "sent" }, Ct), HttpStatusCode.NotFound);
    }
}
