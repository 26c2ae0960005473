using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Keywords;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Webhooks;
using Touchpoint.Tests.Infrastructure;
using static Touchpoint.Tests.Webhooks.WebhookTestKit;

namespace Touchpoint.Tests.Webhooks;

/// <summary>
/// Deliveries that arrive together are archived and applied in one transaction (docs/decisions/0022-webhook-group-commit.md):
/// replays inside one burst still apply once, and one delivery that fails does not take the others with it.
/// </summary>
public sealed class WebhookGroupCommitTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_burst_of_status_callbacks_with_replays_applies_each_event_exactly_once(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        var contact = await ws.CreateContactAsync("+14155550177");
        var sids = Enumerable.Range(0, 12).Select(i => $"SMburst{i:D4}").ToList();
        foreach (var sid in sids) await app.InsertOutboundAsync(ws.Id, contact, "twilio", sid, MessageStatus.Sent);

        // Every callback three times, all at once: the copies land in the same batch or in the next one.
        var responses = await Task.WhenAll(sids.SelectMany(sid => Enumerable.Repeat(sid, 3)).Select(sid =>
            app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioStatus(sid, "delivered")), Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var deliveries = await app.DbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.WorkspaceId == ws.Id).ToListAsync(Ct));
        Assert.Equal(36, deliveries.Count);
        Assert.Equal(12, deliveries.Count(d => d.Outcome == WebhookOutcome.Processed));
        Assert.Equal(24, deliveries.Count(d => d.Outcome == WebhookOutcome.Duplicate));
        Assert.Equal(sids.Select(s => s + ":delivered").Order(), deliveries.Where(d => d.Outcome == WebhookOutcome.Processed).Select(d => d.DedupeKey!).Order());
        var events = await app.DbAsync(db => db.MessageEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.WorkspaceId == ws.Id && e.Provider == "twilio").Select(e => e.ProviderEventId).ToListAsync(Ct));
        Assert.Equal(12, events.Count);
        var statuses = await app.DbAsync(db => db.OutboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == ws.Id).Select(m => m.Status).ToListAsync(Ct));
        Assert.All(statuses, s => Assert.Equal(MessageStatus.Delivered, s));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Sent_delivered_and_read_of_the_same_messages_in_one_burst_end_read_whatever_order_they_apply_in(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        var contact = await ws.CreateContactAsync("+14155550178");
        var sids = Enumerable.Range(0, 8).Select(i => $"SMorder{i:D4}").ToList();
        foreach (var sid in sids) await app.InsertOutboundAsync(ws.Id, contact, "twilio", sid, MessageStatus.Queued);

        var responses = await Task.WhenAll(sids.SelectMany(sid => new[] { "read", "sent", "delivered" }.Select(status =>
            app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioStatus(sid, status)), Ct))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var messages = await app.DbAsync(db => db.OutboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == ws.Id).ToListAsync(Ct));
        Assert.All(messages, m => Assert.Equal(MessageStatus.Read, m.Status));
        Assert.All(messages, m => Assert.NotNull(m.DeliveredAt));
        var events = await app.DbAsync(db => db.MessageEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.WorkspaceId == ws.Id && e.Provider == "twilio").ToListAsync(Ct));
        Assert.Equal(24, events.Count);
        Assert.All(messages, m => Assert.Equal(3, events.Count(e => e.MessageId == m.Id)));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_delivery_that_fails_to_apply_is_archived_as_failed_and_the_rest_of_its_burst_applies(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg,
            settings: new Dictionary<string, string> { ["Touchpoint:PublicBaseUrl"] = PublicBaseUrl },
            configure: b => b.Services.AddScoped<IInboundMessageListener, PoisonListener>());
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => app.Anonymous.SendAsync(
            TwilioPost(ws.Id, TwilioInbound($"SMpoison{i:D4}", $"+1415555{i:D4}", i == 4 ? PoisonListener.Body : $"hello {i}")), Ct)));

        // Twilio is answered 200 either way: the delivery is stored and can be reprocessed, a retry would not help.
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var deliveries = await app.DbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.WorkspaceId == ws.Id).ToListAsync(Ct));
        Assert.Equal(10, deliveries.Count);
        var failed = Assert.Single(deliveries, d => d.Outcome == WebhookOutcome.Failed);
        Assert.Contains("SMpoison0004", System.Text.Encoding.UTF8.GetString(failed.Body));
        Assert.Contains(PoisonListener.Error, failed.Error);
        Assert.Null(failed.DedupeKey);
        Assert.Equal(9, deliveries.Count(d => d.Outcome == WebhookOutcome.Processed));
        var inbound = await app.DbAsync(db => db.InboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == ws.Id).Select(m => m.ProviderMessageId).ToListAsync(Ct));
        Assert.Equal(9, inbound.Count);
        Assert.DoesNotContain("SMpoison0004", inbound);
    }

    sealed class PoisonListener : IInboundMessageListener
    {
        public const string Body = "poison pill";
        public const string Error = "listener refuses this message";

        public Task OnInboundAsync(InboundMessage message, KeywordMatch match, CancellationToken ct) =>
            message.Body == Body ? throw new InvalidOperationException(Error) : Task.CompletedTask;
    }
}
