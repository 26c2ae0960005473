using System.Net;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Infrastructure;
using static Touchpoint.Tests.Webhooks.WebhookTestKit;

namespace Touchpoint.Tests.Webhooks;

public sealed class TwilioWebhookTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_signed_inbound_sms_is_archived_matched_to_its_contact_and_classified_and_its_replay_is_a_duplicate(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        var contactId = await ws.CreateContactAsync("+14155550123");

        var first = await app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioInbound("SM0001", "+14155550123", "Stop")), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var archived = await app.DeliveryAsync(DeliveryId(first));
        Assert.Equal("valid", archived.SignatureVerdict);
        Assert.Equal(WebhookOutcome.Processed, archived.Outcome);
        Assert.Equal("SM0001", archived.DedupeKey);
        Assert.NotNull(archived.ProcessedAt);
        Assert.Contains("Body=Stop", System.Text.Encoding.UTF8.GetString(archived.Body), StringComparison.Ordinal);

        var inbound = await app.DbAsync(db => db.InboundMessages.AsNoTracking().SingleAsync(m => m.WorkspaceId == ws.Id, Ct));
        Assert.Equal(contactId, inbound.ContactId);
        Assert.Equal("opt_out", inbound.KeywordClass);
        Assert.Equal("STOP", inbound.Keyword);
        Assert.Equal(archived.Id, inbound.WebhookDeliveryId);
        var timeline = await app.DbAsync(db => db.MemoryEvents.AsNoTracking().Where(e => e.ContactId == contactId).Select(e => e.EventType).ToListAsync(Ct));
        Assert.Contains("OPT_OUT_REQUESTED", timeline);

        var replay = await app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioInbound("SM0001", "+14155550123", "Stop")), Ct);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var duplicate = await app.DeliveryAsync(DeliveryId(replay));
        Assert.Equal(WebhookOutcome.Duplicate, duplicate.Outcome);
        Assert.Null(duplicate.DedupeKey);
        Assert.Equal(1, await app.DbAsync(db => db.InboundMessages.CountAsync(m => m.WorkspaceId == ws.Id, Ct)));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_bad_signature_is_401_archived_as_rejected_and_changes_nothing(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        var request = TwilioPost(ws.Id, TwilioInbound("SM0002", "+14155550123", "hello"), signature: "c2lnbmF0dXJlLWZyb20tc29tZW9uZS1lbHNl");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic c2VjcmV0");

        var response = await app.Anonymous.SendAsync(request, Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        var archived = await app.DeliveryAsync(DeliveryId(response));
        Assert.Equal(WebhookOutcome.RejectedSignature, archived.Outcome);
        Assert.Equal("bad_signature", archived.SignatureVerdict);
        Assert.Contains("[redacted]", archived.HeadersJson, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", archived.HeadersJson, StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.InboundMessages.CountAsync(m => m.WorkspaceId == ws.Id, Ct)));
    }

    [Fact]
    public async Task Without_configured_secrets_a_callback_is_refused_and_an_unknown_workspace_is_404()
    {
        await using var app = await StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        var refused = await app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioInbound("SM1", "+14155550123", "hi")), Ct);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Equal("no_secret_configured", (await app.DeliveryAsync(DeliveryId(refused))).SignatureVerdict);

        await ProblemAssert.IsProblemAsync(await app.Anonymous.SendAsync(TwilioPost(Guid.NewGuid(), TwilioInbound("SM1", "+1", "x")), Ct), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await app.Anonymous.SendAsync(TwilioPost(Guid.Empty, TwilioInbound("SM1", "+1", "x")), Ct), HttpStatusCode.NotFound);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Out_of_order_status_callbacks_never_regress_a_message_and_a_repeated_status_counts_once(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        var contactId = await ws.CreateContactAsync("+14155550123");
        var messageId = await app.InsertOutboundAsync(ws.Id, contactId, "twilio", "SM9000", MessageStatus.Sending);

        foreach (var status in new[] { "delivered", "sent", "delivered" })
            Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioStatus("SM9000", status)), Ct)).StatusCode);

        var message = await app.DbAsync(db => db.OutboundMessages.AsNoTracking().SingleAsync(m => m.Id == messageId, Ct));
        Assert.Equal(MessageStatus.Delivered, message.Status);
        Assert.NotNull(message.DeliveredAt);
        var events = await app.DbAsync(db => db.MessageEvents.AsNoTracking().Where(e => e.MessageId == messageId).ToListAsync(Ct));
        Assert.Single(events, e => e.Status == MessageStatus.Delivered);
        Assert.Single(events, e => e.Status == MessageStatus.Sent);
        var outcomes = await app.DbAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.WorkspaceId == ws.Id)
            .OrderBy(d => d.Id).Select(d => d.Outcome).ToListAsync(Ct));
        Assert.Equal([WebhookOutcome.Processed, WebhookOutcome.Processed, WebhookOutcome.Duplicate], outcomes);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_status_callback_stores_when_the_message_was_sent_delivered_or_why_it_failed_and_keeps_the_first_times(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        var contactId = await ws.CreateContactAsync("+14155550123");
        var delivered = await app.InsertOutboundAsync(ws.Id, contactId, "twilio", "SM7001", MessageStatus.Sending);
        var failed = await app.InsertOutboundAsync(ws.Id, contactId, "twilio", "SM7002", MessageStatus.Sent);
        Task<OutboundMessage> StoredAsync(Guid id) => app.DbAsync(db => db.OutboundMessages.AsNoTracking().SingleAsync(m => m.Id == id, Ct));

        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioStatus("SM7001", "sent")), Ct)).StatusCode);
        var sent = await StoredAsync(delivered);
        Assert.Equal(MessageStatus.Sent, sent.Status);
        Assert.NotNull(sent.SentAt);
        Assert.Null(sent.DeliveredAt);

        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioStatus("SM7001", "delivered")), Ct)).StatusCode);
        var reached = await StoredAsync(delivered);
        Assert.Equal(MessageStatus.Delivered, reached.Status);
        Assert.Equal(sent.SentAt, reached.SentAt);
        Assert.NotNull(reached.DeliveredAt);
        Assert.Null(reached.ErrorCode);

        var failure = TwilioStatus("SM7002", "undelivered");
        failure["ErrorCode"] = "30006";
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(TwilioPost(ws.Id, failure), Ct)).StatusCode);
        var undelivered = await StoredAsync(failed);
        Assert.Equal(MessageStatus.Undelivered, undelivered.Status);
        Assert.Equal("30006", undelivered.ErrorCode);
        Assert.Null(undelivered.DeliveredAt);
        Assert.Equal(MessageStatus.Delivered, (await StoredAsync(delivered)).Status);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_unknown_payload_is_archived_unparsed_with_200_and_reprocess_is_refused_for_a_processed_one(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);

        var response = await app.Anonymous.SendAsync(TwilioPost(ws.Id, new Dictionary<string, string> { ["Hello"] = "world" }), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var archived = await app.DeliveryAsync(DeliveryId(response));
        Assert.Equal(WebhookOutcome.Unparsed, archived.Outcome);
        Assert.Equal("twilio_missing_sid", archived.Error);
        var listed = await ws.Http.GetStringAsync("/api/v1/webhooks/deliveries?outcome=unparsed", Ct);
        Assert.Contains(archived.Id.ToString(), listed, StringComparison.Ordinal);
        var reprocessed = await ws.Http.PostAsync($"/api/v1/webhooks/deliveries/{archived.Id}/reprocess", null, Ct);
        Assert.Equal(HttpStatusCode.OK, reprocessed.StatusCode);
        Assert.Equal(WebhookOutcome.Unparsed, (await app.DeliveryAsync(archived.Id)).Outcome);

        var ok = await app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioInbound("SM77", "+14155550199", "hi")), Ct);
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsync($"/api/v1/webhooks/deliveries/{DeliveryId(ok)}/reprocess", null, Ct), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await ws.Http.GetAsync("/api/v1/webhooks/deliveries?outcome=nope", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413_and_archived_truncated()
    {
        await using var app = await StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/twilio/{ws.Id}")
        {
            Content = new ByteArrayContent(new byte[1024 * 1024 + 10]),
        };

        var response = await app.Anonymous.SendAsync(request, Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var archived = await app.DeliveryAsync(DeliveryId(response));
        Assert.Contains("x-touchpoint-body-truncated", archived.HeadersJson, StringComparison.Ordinal);
        Assert.Equal(1024 * 1024, archived.Body.Length);
    }
}
