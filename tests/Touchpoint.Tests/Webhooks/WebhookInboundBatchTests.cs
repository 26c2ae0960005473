using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Webhooks;
using Touchpoint.Tests.Infrastructure;
using static Touchpoint.Tests.Inbound.InboundTestKit;
using static Touchpoint.Tests.Webhooks.WebhookTestKit;

namespace Touchpoint.Tests.Webhooks;

/// <summary>
/// Replies applied as one ingest batch load their senders' contacts, conversations and enrollments once for the batch
/// (docs/decisions/0025-inbound-batch-prefetch.md): what one reply of the batch creates or changes, a later one sees.
/// The batch is built by hand, so every reply is certainly in the same one.
/// </summary>
public sealed class WebhookInboundBatchTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Unknown = "+14155550199";
    const string Known = "+14155550155";

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Replies_in_one_batch_see_what_earlier_replies_of_the_batch_created(Store store)
    {
        await using var app = await StartWithoutWorkersAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var enrolled = await OptedInContactAsync(ws);
        var campaign = await EnrolledInActiveCampaignAsync(ws, enrolled);
        var known = await OptedInContactAsync(ws, Known);
        await SandboxInboundAsync(ws, "first, before the batch", from: Known);
        var knownBefore = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(c => c.WorkspaceId == ws.Id && c.ContactId == known, Ct));

        await ApplyAsOneBatchAsync(app, ws.Id,
            ("SMbatch0001", Unknown, "hi, who is this?"),
            ("SMbatch0002", Phone, "Sounds good, Friday works"),
            ("SMbatch0003", Known, "second, inside the batch"),
            ("SMbatch0004", Unknown, "me again"),
            ("SMbatch0005", Known, "third, inside the batch"));

        var deliveries = await app.DbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.WorkspaceId == ws.Id && d.Provider == WebhookProviders.Twilio).ToListAsync(Ct));
        Assert.Equal(5, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(WebhookOutcome.Processed, d.Outcome));

        // The unknown sender became ONE contact, and its second reply joined the first one's conversation.
        var holders = await app.DbAsync(db => db.ContactChannels.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WorkspaceId == ws.Id && c.Value == Unknown).Select(c => c.ContactId).ToListAsync(Ct));
        var created = Assert.Single(holders);
        var fromUnknown = await app.DbAsync(db => db.InboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == ws.Id && m.FromAddress == Unknown).Select(m => m.ContactId).ToListAsync(Ct));
        Assert.Equal([created, created], fromUnknown);
        Assert.Equal(["hi, who is this?", "me again"], await MessagesAsync(app, ws.Id, created));

        // The known contact's existing conversation took both replies, in order, after the one it had before the batch.
        Assert.Equal(["first, before the batch", "second, inside the batch", "third, inside the batch"], await MessagesAsync(app, ws.Id, known));
        var knownAfter = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(c => c.WorkspaceId == ws.Id && c.ContactId == known, Ct));
        Assert.Equal(knownBefore.Id, knownAfter.Id);
        // The count and the sequence numbers agree with every row the conversation holds.
        var sequences = await app.DbAsync(db => db.ConversationMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == ws.Id && m.ConversationId == knownAfter.Id).Select(m => m.Sequence).ToListAsync(Ct));
        Assert.Equal(Enumerable.Range(0, knownAfter.MessageCount), sequences.Order());

        // Only the enrolled contact had a live enrollment to engage; every filed reply queued the conversation dispatcher.
        Assert.Equal("ENGAGED", await EnrollmentStateAsync(ws, campaign, enrolled));
        Assert.Equal(["Sounds good, Friday works"], await MessagesAsync(app, ws.Id, enrolled));
        var dispatches = await app.DbAsync(db => db.ScheduledActions.IgnoreQueryFilters().AsNoTracking()
            .CountAsync(a => a.WorkspaceId == ws.Id && a.IdempotencyKey!.StartsWith("crm-dispatch:"), Ct));
        Assert.Equal(6, dispatches);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_stop_inside_a_batch_opts_out_and_the_replies_around_it_still_apply(Store store)
    {
        await using var app = await StartWithoutWorkersAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        var campaign = await EnrolledInActiveCampaignAsync(ws, contact);

        await ApplyAsOneBatchAsync(app, ws.Id,
            ("SMstop0001", Unknown, "hello"),
            ("SMstop0002", Phone, "Stop"),
            ("SMstop0003", Unknown, "still there?"));

        Assert.Equal("STOPPED", await EnrollmentStateAsync(ws, campaign, contact));
        var suppression = Assert.Single(await SuppressionsAsync(ws, contact));
        Assert.Equal(("opted_out", Phone), (suppression.GetProperty("reason").GetString(), suppression.GetProperty("value").GetString()));
        var holders = await app.DbAsync(db => db.ContactChannels.IgnoreQueryFilters().AsNoTracking()
            .CountAsync(c => c.WorkspaceId == ws.Id && c.Value == Unknown, Ct));
        Assert.Equal(1, holders);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Status_callbacks_between_replies_of_one_batch_apply_and_the_replies_keep_their_order(Store store)
    {
        await using var app = await StartWithoutWorkersAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var known = await OptedInContactAsync(ws, Known);
        var sent = await app.InsertOutboundAsync(ws.Id, known, "twilio", "SMout0001", MessageStatus.Sent);

        await ApplyAsOneBatchAsync(app, ws.Id,
            [TwilioInbound("SMmix0001", Known, "one"), TwilioStatus("SMout0001", "delivered"), TwilioInbound("SMmix0002", Known, "two"),
             TwilioStatus("SMout0001", "read"), TwilioInbound("SMmix0003", Known, "three")]);

        Assert.Equal(["one", "two", "three"], await MessagesAsync(app, ws.Id, known));
        var message = await app.DbAsync(db => db.OutboundMessages.IgnoreQueryFilters().AsNoTracking().SingleAsync(m => m.Id == sent, Ct));
        Assert.Equal(MessageStatus.Read, message.Status);
        Assert.NotNull(message.DeliveredAt);
        var outcomes = await app.DbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.WorkspaceId == ws.Id && d.Provider == WebhookProviders.Twilio).Select(d => d.Outcome).ToListAsync(Ct));
        Assert.Equal(5, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(WebhookOutcome.Processed, o));
        Assert.Equal(2, await app.DbAsync(db => db.MessageEvents.IgnoreQueryFilters().AsNoTracking().CountAsync(e => e.MessageId == sent, Ct)));
    }

    /// <summary>
    /// No scheduler workers: neither the campaign sweep nor the conversation dispatcher runs in the background, so nothing
    /// else writes the enrollments and conversations while the batch applies. (A writer that overlaps a reply loses and
    /// redoes its work — StaleWriteTests, docs/decisions/0026-stale-write-detection.md — but these tests are about what
    /// the batch itself does.)
    /// </summary>
    static Task<TouchpointApp> StartWithoutWorkersAsync(Store store, PostgresCluster pg) =>
        TouchpointApp.StartAsync(store, pg, clockAt: Midday, settings: new Dictionary<string, string>
        {
            ["Touchpoint:PublicBaseUrl"] = PublicBaseUrl, ["Touchpoint:Scheduler:Workers"] = "0",
        });

    static Task ApplyAsOneBatchAsync(TouchpointApp app, Guid workspaceId, params (string Sid, string From, string Body)[] replies) =>
        ApplyAsOneBatchAsync(app, workspaceId, [.. replies.Select(r => TwilioInbound(r.Sid, r.From, r.Body))]);

    static async Task ApplyAsOneBatchAsync(TouchpointApp app, Guid workspaceId, IReadOnlyList<Dictionary<string, string>> forms)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var archive = scope.ServiceProvider.GetRequiredService<WebhookArchive>();
        var deliveries = forms.Select(form =>
        {
            var body = Encoding.UTF8.GetBytes(string.Join('&', form
                .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
            var delivery = archive.Synthetic(workspaceId, WebhookProviders.Twilio, $"/webhooks/twilio/{workspaceId}", body);
            delivery.SignatureVerdict = WebhookReceiver.SignatureValid;
            return delivery;
        }).ToList();
        await archive.SaveAllAsync(deliveries, Ct);
        await scope.ServiceProvider.GetRequiredService<WebhookProcessor>().ProcessBatchAsync(deliveries, Ct);
    }

    static Task<List<string>> MessagesAsync(TouchpointApp app, Guid workspaceId, Guid contactId) =>
        app.DbAsync(db => db.ConversationMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == workspaceId && db.Conversations.IgnoreQueryFilters()
                .Any(c => c.Id == m.ConversationId && c.ContactId == contactId) && m.Direction == Direction.Inbound)
            .OrderBy(m => m.Sequence).Select(m => m.Content).ToListAsync(Ct));
}
