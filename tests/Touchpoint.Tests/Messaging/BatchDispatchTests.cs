using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;
using static Touchpoint.Tests.Messaging.MessageSendTests;

namespace Touchpoint.Tests.Messaging;

/// <summary>
/// Several <c>message.dispatch</c> jobs claimed in one batch go through <c>MessageDispatcher.HandleBatchAsync</c>
/// together (docs/decisions/0021-batch-dispatch.md): each message still gets its own outcome and its own decision.
/// </summary>
public sealed class BatchDispatchTests(PostgresCluster pg)
{
    // 00:59 UTC on Wednesday 2026-03-11 = 20:59 in New York (EDT) and 17:59 in Los Angeles (PDT): both inside the
    // 08:00–21:00 window at submission; two minutes later New York is outside it.
    const string NineInNewYork = "2026-03-11T00:59:00Z";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task One_batch_sends_one_postpones_one_and_denies_the_suppressed_one_each_with_its_own_outcome(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: NineInNewYork,
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" });
        var ws = await app.NewWorkspaceAsync();
        var california = await ContactAsync(ws, "+14155550123");
        var suppressed = await ContactAsync(ws, "+14155550124");
        var newYork = await ContactAsync(ws, "+12125550123");
        var california2 = await ContactAsync(ws, "+14155550125");
        var ids = new Dictionary<string, Guid>();
        foreach (var (name, contact) in new[] { ("sent", california), ("denied", suppressed), ("later", newYork), ("sent2", california2) })
        {
            var accepted = await (await SendAsync(ws, new { contactId = contact, channel = "sms", body = $"Hi {name}" }, name))
                .ReadJsonAsync(HttpStatusCode.Accepted);
            Assert.Equal("queued", accepted.GetProperty("status").GetString());
            ids[name] = accepted.GetProperty("id").GetGuid();
        }
        (await ws.Http.PostAsJsonAsync("/api/v1/suppressions", new { contactId = suppressed, reason = "manual" }, Ct)).EnsureSuccessStatusCode();

        await AdvanceAsync(app, 2); // 01:01 UTC: all four jobs are due and claimed in one batch

        foreach (var name in new[] { "sent", "sent2" })
        {
            var sent = await ws.GetJsonAsync($"/api/v1/messages/{ids[name]}");
            Assert.Equal("sent", sent.GetProperty("status").GetString());
            Assert.Equal(["queued", "sending", "sent"], History(sent));
            Assert.Equal("allowed", sent.GetProperty("decision").GetProperty("reasonCode").GetString());
        }
        var denied = await ws.GetJsonAsync($"/api/v1/messages/{ids["denied"]}");
        Assert.Equal("denied", denied.GetProperty("status").GetString());
        Assert.StartsWith("suppressed", denied.GetProperty("decision").GetProperty("reasonCode").GetString());
        Assert.Equal(["queued", "denied"], History(denied));
        var later = await ws.GetJsonAsync($"/api/v1/messages/{ids["later"]}");
        Assert.Equal("scheduled", later.GetProperty("status").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-03-11T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            later.GetProperty("scheduledFor").GetDateTimeOffset()); // 08:00 EDT
        Assert.False(later.GetProperty("decision").GetProperty("allowSend").GetBoolean());

        var outbox = await ws.GetJsonAsync("/api/v1/sandbox/outbox");
        Assert.Equal(new[] { ids["sent"], ids["sent2"] }.Order(), outbox.EnumerateArray().Select(i => i.GetProperty("messageId").GetGuid()).Order());

        // Every message has exactly its two decisions (submission and dispatch), and the sent ones touched their contact.
        var (decisions, touched) = await app.DbAsync(async db => (
            await db.PolicyDecisions.IgnoreQueryFilters().Where(d => d.WorkspaceId == ws.Id).GroupBy(d => d.MessageId)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(Ct),
            await db.Contacts.IgnoreQueryFilters().Where(c => c.WorkspaceId == ws.Id && c.LastTouchAt != null).Select(c => c.Id).ToListAsync(Ct)));
        Assert.Equal(4, decisions.Count);
        Assert.All(decisions, d => Assert.Equal(2, d.Count));
        Assert.Equal(new[] { california, california2 }.Order(), touched.Order());

        // The postponed one goes out when New York's morning comes, and nothing is sent twice.
        await AdvanceAsync(app, 11 * 60);
        Assert.Equal("sent", (await ws.GetJsonAsync($"/api/v1/messages/{ids["later"]}")).GetProperty("status").GetString());
        Assert.Equal(3, (await ws.GetJsonAsync("/api/v1/sandbox/outbox")).GetArrayLength());
        var jobs = await ws.Http.GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/v1/jobs?status=succeeded", Ct);
        Assert.Equal(5, jobs!.Count); // four dispatches + the postponed one's own row
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Two_sends_to_one_contact_in_one_batch_are_both_decided_and_sent_once(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-10T18:00:00Z",
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" });
        var ws = await app.NewWorkspaceAsync();
        var contact = await ContactAsync(ws, "+14155550123");
        var first = (await (await SendAsync(ws, new { contactId = contact, channel = "sms", body = "one" }, "one"))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        var second = (await (await SendAsync(ws, new { contactId = contact, channel = "sms", body = "two" }, "two"))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();

        await AdvanceAsync(app, 1);

        // Decided together: neither is denied as its own prior touch, and each goes out exactly once.
        var statuses = new[] { first, second }.Select(async id => (await ws.GetJsonAsync($"/api/v1/messages/{id}")).GetProperty("status").GetString());
        Assert.All(await Task.WhenAll(statuses), s => Assert.Equal("sent", s));
        Assert.Equal(2, (await ws.GetJsonAsync($"/api/v1/sandbox/outbox?contactId={contact}")).GetArrayLength());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_configured_bucket_makes_the_excess_of_a_batch_wait_and_a_workspace_without_one_sends_all(Store store)
    {
        // Every default unlimited: only the bucket one workspace configures can make its sends wait.
        await using var gateway = await RecordingGateway.StartAsync();
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-10T18:00:00Z",
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0", ["Touchpoint:RateLimits:Sender:RatePerSecond"] = "0" });
        var limited = await app.NewWorkspaceAsync();
        var free = await app.NewWorkspaceAsync();
        foreach (var ws in new[] { limited, free }) await MultiWorkerKit.ConfigureGatewayAsync(ws, gateway, from: null);
        (await limited.Http.PutAsJsonAsync("/api/v1/rate-limits",
            new { scope = "workspace", key = limited.Id.ToString(), ratePerSecond = 1, burst = 1 }, Ct)).EnsureSuccessStatusCode();
        var limitedKeys = await MultiWorkerKit.SubmitAsync(limited, await MultiWorkerKit.CreateContactsAsync(limited, 3), 3, "limited");
        var freeKeys = await MultiWorkerKit.SubmitAsync(free, await MultiWorkerKit.CreateContactsAsync(free, 3), 3, "free");

        await AdvanceAsync(app, 1);
        Assert.All(freeKeys, k => Assert.Equal(1, gateway.PostsByKey.GetValueOrDefault(k)));
        Assert.Equal(1, limitedKeys.Count(gateway.PostsByKey.ContainsKey)); // one token; the other two wait, nothing fails
        var waiting = await app.DbAsync(db => db.OutboundMessages.IgnoreQueryFilters()
            .CountAsync(m => m.WorkspaceId == limited.Id && m.Status == Touchpoint.Domain.Vocabulary.MessageStatus.Queued, Ct));
        Assert.Equal(2, waiting);
        Assert.Empty(await limited.Http.GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/v1/jobs?status=dead", Ct) ?? []);

        await AdvanceAsync(app, 1);
        await AdvanceAsync(app, 1);
        Assert.All(limitedKeys, k => Assert.Equal(1, gateway.PostsByKey.GetValueOrDefault(k)));
        Assert.Equal(6, gateway.Posts);
    }

    static async Task<Guid> ContactAsync(WorkspaceClient ws, string phone)
    {
        var contact = await ws.CreateContactAsync(phone: phone);
        (await ws.PutConsentAsync(contact, "sms", "opt_in")).EnsureSuccessStatusCode();
        return contact;
    }

    static List<string?> History(System.Text.Json.JsonElement message) =>
        [.. message.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString())];
}
