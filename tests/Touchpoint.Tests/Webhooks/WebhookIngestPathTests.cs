using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using static Touchpoint.Tests.Webhooks.WebhookTestKit;

namespace Touchpoint.Tests.Webhooks;

/// <summary>
/// The fast ingest path (docs/decisions/0010-webhookperf-ingest-path.md): cached secrets still follow a PUT at once,
/// concurrent first messages from one unknown sender make one contact, keyword answers go to the writing address.
/// </summary>
public sealed class WebhookIngestPathTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_Twilio_token_changed_through_PUT_providers_verifies_the_very_next_webhook(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await PutTwilioTokenAsync(ws, "first-token-0123");

        // Warm the cache with the first token, then replace it.
        var before = await app.Anonymous.SendAsync(SignedStatus(ws.Id, "SMput0001", "first-token-0123"), Ct);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await PutTwilioTokenAsync(ws, "second-token-4567");

        var stale = await app.Anonymous.SendAsync(SignedStatus(ws.Id, "SMput0002", "first-token-0123"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(WebhookOutcome.RejectedSignature, (await app.DeliveryAsync(DeliveryId(stale))).Outcome);
        var fresh = await app.Anonymous.SendAsync(SignedStatus(ws.Id, "SMput0003", "second-token-4567"), Ct);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        var archived = await app.DeliveryAsync(DeliveryId(fresh));
        Assert.Equal(("valid", WebhookOutcome.Processed), (archived.SignatureVerdict, archived.Outcome));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task First_messages_from_one_unknown_sender_applied_concurrently_create_exactly_one_contact(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        const string sender = "+14155550166";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioInbound($"SMrace{i:D4}", sender, $"hello {i}")), Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var channels = await app.DbAsync(db => db.ContactChannels.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WorkspaceId == ws.Id && c.Value == sender).ToListAsync(Ct));
        var contactId = Assert.Single(channels).ContactId;
        Assert.Equal(1, await app.DbAsync(db => db.Contacts.IgnoreQueryFilters().CountAsync(c => c.WorkspaceId == ws.Id, Ct)));
        var inbound = await app.DbAsync(db => db.InboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == ws.Id).ToListAsync(Ct));
        Assert.Equal(8, inbound.Count);
        Assert.All(inbound, m => Assert.Equal(contactId, m.ContactId));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_keyword_answer_goes_to_the_number_that_wrote_not_the_contacts_primary_number(Store store)
    {
        await using var app = await Inbound.InboundTestKit.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        const string primary = "+14155550131", second = "+14155550132";
        var created = await ws.Http.PostAsJsonAsync("/api/v1/contacts", new
        {
            firstName = "Two", channels = new object[] { new { kind = "sms", value = primary, isPrimary = true }, new { kind = "sms", value = second } },
        }, Ct);
        var contact = (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await ws.PutConsentAsync(contact, "sms", "opt_in")).EnsureSuccessStatusCode();

        await Inbound.InboundTestKit.SandboxInboundAsync(ws, "HELP", from: second);
        await Inbound.InboundTestKit.AdvanceAsync(app, 5); // the HELP answer goes out before STOP suppresses the number
        await Inbound.InboundTestKit.SandboxInboundAsync(ws, "STOP", from: second);
        await Inbound.InboundTestKit.AdvanceAsync(app, 1);

        var outbox = await Inbound.InboundTestKit.OutboxAsync(ws, contact);
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, o => Assert.Equal(second, o.GetProperty("to").GetString()));
        Assert.Contains(outbox, o => o.GetProperty("body").GetString()!.StartsWith("You are unsubscribed", StringComparison.Ordinal));
    }

    static async Task PutTwilioTokenAsync(WorkspaceClient ws, string token)
    {
        // Voicemail: a Twilio row there verifies webhooks without routing the tests' SMS to Twilio.
        var put = await ws.Http.PutAsJsonAsync("/api/v1/providers/voicemail",
            new { provider = "twilio", settings = new { accountSid = "AC123", authToken = token, from = "+14155550100" } }, Ct);
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(Ct));
    }

    static HttpRequestMessage SignedStatus(Guid workspaceId, string sid, string token)
    {
        var form = TwilioStatus(sid, "delivered").ToList();
        return TwilioPost(workspaceId, form, TwilioSignature.Compute(token, PublicBaseUrl + $"/webhooks/twilio/{workspaceId}", form));
    }
}
