using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Providers;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Messaging;

/// <summary>POST /api/v1/messages end to end: policy, render, outbox, dispatch through the sandbox provider.</summary>
public sealed class MessageSendTests(PostgresCluster pg)
{
    // Tuesday 2026-03-10 18:00 UTC = 11:00 in Los Angeles (the 415 number's zone): inside every window.
    const string Midday = "2026-03-10T18:00:00Z";
    const string CaliforniaPhone = "+14155550123";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_allowed_send_is_queued_then_dispatched_once_with_its_decision_and_history(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);

        var accepted = await (await SendAsync(ws, new { contactId = contact, channel = "sms", body = "Hi {{ contact.firstName }}, {{ offer }}!",
            variables = new { offer = "20% off" } }, "key-1")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
        Assert.True(accepted.GetProperty("decision").GetProperty("allowSend").GetBoolean());
        Assert.Equal("allowed", accepted.GetProperty("decision").GetProperty("reasonCode").GetString());
        var id = accepted.GetProperty("id").GetGuid();

        await AdvanceAsync(app, 1);
        var message = await ws.GetJsonAsync($"/api/v1/messages/{id}");
        Assert.Equal("sent", message.GetProperty("status").GetString());
        Assert.Equal("Hi Test, 20% off!", message.GetProperty("body").GetString());
        Assert.Equal(CaliforniaPhone, message.GetProperty("to").GetString());
        Assert.StartsWith("sbx-", message.GetProperty("providerMessageId").GetString());
        var statuses = message.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()).ToList();
        Assert.Equal(["queued", "sending", "sent"], statuses);

        var outbox = await ws.GetJsonAsync($"/api/v1/sandbox/outbox?contactId={contact}");
        var item = Assert.Single(outbox.EnumerateArray());
        Assert.Equal(id, item.GetProperty("messageId").GetGuid());
        Assert.Equal("Hi Test, 20% off!", item.GetProperty("body").GetString());

        // Two decisions are recorded for this send: at submission and again at dispatch, both allowed.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        var decisions = await db.PolicyDecisions.IgnoreQueryFilters().Where(d => d.MessageId == id).ToListAsync(Ct);
        Assert.Equal(2, decisions.Count);
        Assert.All(decisions, d => Assert.True(d.AllowSend));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task The_same_idempotency_key_returns_the_first_send_and_nothing_goes_out_twice(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        var request = new { contactId = contact, channel = "sms", body = "Only once" };

        var first = await (await SendAsync(ws, request, "same")).ReadJsonAsync(HttpStatusCode.Accepted);
        var second = await (await SendAsync(ws, request, "same")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        await AdvanceAsync(app, 1);
        // §8: the same key and body replay the first response (its status at the time), even after the send.
        var replay = await SendAsync(ws, request, "same");
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var third = await replay.ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(first.GetRawText(), third.GetRawText());
        Assert.Equal("sent", (await ws.GetJsonAsync($"/api/v1/messages/{first.GetProperty("id").GetGuid()}")).GetProperty("status").GetString());
        // The same key for another request is refused, naming the header.
        var reused = await SendAsync(ws, new { contactId = contact, channel = "sms", body = "Something else" }, "same");
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(reused, HttpStatusCode.UnprocessableEntity), "Idempotency-Key");
        await AdvanceAsync(app, 1);

        Assert.Single((await ws.GetJsonAsync($"/api/v1/sandbox/outbox?contactId={contact}")).EnumerateArray());
        var other = await (await SendAsync(ws, request, "other")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.NotEqual(first.GetProperty("id").GetGuid(), other.GetProperty("id").GetGuid());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_send_blocked_only_by_time_is_scheduled_for_next_allowed_and_goes_out_then(Store store)
    {
        // 08:00 UTC = 01:00 in Los Angeles: outside the 08:00–21:00 legal window.
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-10T08:00:00Z");
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);

        var accepted = await (await SendAsync(ws, new { contactId = contact, channel = "sms", body = "Morning" }, "k"))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("scheduled", accepted.GetProperty("status").GetString());
        var scheduledFor = accepted.GetProperty("scheduledFor").GetDateTimeOffset();
        Assert.Equal(DateTimeOffset.Parse("2026-03-10T15:00:00Z"), scheduledFor); // 08:00 PDT
        Assert.False(accepted.GetProperty("decision").GetProperty("allowSend").GetBoolean());

        await AdvanceAsync(app, 60 * 6);
        Assert.Empty((await ws.GetJsonAsync($"/api/v1/sandbox/outbox?contactId={contact}")).EnumerateArray());
        await AdvanceAsync(app, 61);
        var item = Assert.Single((await ws.GetJsonAsync($"/api/v1/sandbox/outbox?contactId={contact}")).EnumerateArray());
        Assert.Equal(DateTimeOffset.Parse("2026-03-10T15:01:00Z"), item.GetProperty("sentAt").GetDateTimeOffset());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_suppression_added_after_queueing_wins_at_dispatch_and_the_denial_is_recorded(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday,
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" });
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        var id = (await (await SendAsync(ws, new { contactId = contact, channel = "sms", body = "Hello" }, "k"))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();

        (await ws.Http.PostAsJsonAsync("/api/v1/suppressions", new { contactId = contact, reason = "manual" }, Ct)).EnsureSuccessStatusCode();
        await AdvanceAsync(app, 1);

        var message = await ws.GetJsonAsync($"/api/v1/messages/{id}");
        Assert.Equal("denied", message.GetProperty("status").GetString());
        Assert.False(message.GetProperty("decision").GetProperty("allowSend").GetBoolean());
        Assert.StartsWith("suppressed", message.GetProperty("decision").GetProperty("reasonCode").GetString());
        Assert.Empty((await ws.GetJsonAsync($"/api/v1/sandbox/outbox?contactId={contact}")).EnumerateArray());

        // A new send to the suppressed contact is denied up front, with the decision in the answer.
        var denied = await (await SendAsync(ws, new { contactId = contact, channel = "sms", body = "Hello again" }, "k2"))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("denied", denied.GetProperty("status").GetString());
        Assert.Contains(denied.GetProperty("decision").GetProperty("ruleTrace").EnumerateArray(),
            r => r.GetProperty("verdict").GetString() == "deny");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Bad_requests_name_the_field_and_store_nothing(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);

        var problem = await ProblemAssert.IsProblemAsync(await SendAsync(ws, new { channel = "pigeon" }, null), HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "contactId");
        ProblemAssert.NamesField(problem, "channel");
        ProblemAssert.NamesField(problem, "body");

        problem = await ProblemAssert.IsProblemAsync(
            await SendAsync(ws, new { contactId = contact, channel = "sms", body = "Hi {{ contact.firstNam }}" }, "typo"), HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "body");
        Assert.True(problem.GetRawText().Contains("firstNam", StringComparison.Ordinal), problem.GetRawText());

        problem = await ProblemAssert.IsProblemAsync(
            await SendAsync(ws, new { contactId = contact, channel = "sms", templateKey = "nope" }, null), HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "templateKey");
        await ProblemAssert.IsProblemAsync(
            await SendAsync(ws, new { contactId = Guid.NewGuid(), channel = "sms", body = "x" }, null), HttpStatusCode.NotFound);

        Assert.Empty((await ws.GetJsonAsync("/api/v1/messages")).GetProperty("items").EnumerateArray());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Templates_render_with_variables_and_dry_run_and_qa_sink_switches_apply(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        (await ws.Http.PutAsJsonAsync("/api/v1/templates/welcome",
            new { channel = "sms", body = "Welcome {{ contact.firstName }} to {{ workspace.name | size }} {{ plan }}" }, Ct)).EnsureSuccessStatusCode();

        (await ws.Http.PatchAsJsonAsync("/api/v1/workspace", new { qaSink = new { sms = "+14155559999" } }, Ct)).EnsureSuccessStatusCode();
        var id = (await (await SendAsync(ws, new { contactId = contact, channel = "sms", templateKey = "welcome", variables = new { plan = "gold" } }, "a"))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        await AdvanceAsync(app, 1);
        var sent = await ws.GetJsonAsync($"/api/v1/messages/{id}");
        Assert.Equal("+14155559999", sent.GetProperty("to").GetString());
        Assert.Equal(CaliforniaPhone, sent.GetProperty("qaRedirectedFrom").GetString());
        Assert.Matches(@"^Welcome Test to \d+ gold$", sent.GetProperty("body").GetString());
        Assert.Equal("+14155559999", Assert.Single((await ws.GetJsonAsync("/api/v1/sandbox/outbox")).EnumerateArray()).GetProperty("to").GetString());

        (await ws.Http.PatchAsJsonAsync("/api/v1/workspace", new { dryRun = true }, Ct)).EnsureSuccessStatusCode();
        var dry = await (await SendAsync(ws, new { contactId = contact, channel = "sms", body = "dry" }, "b")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("dry_run", dry.GetProperty("status").GetString());
        await AdvanceAsync(app, 1);
        Assert.Single((await ws.GetJsonAsync("/api/v1/sandbox/outbox")).EnumerateArray());
        Assert.Equal("dry_run", (await ws.GetJsonAsync($"/api/v1/messages/{dry.GetProperty("id").GetGuid()}")).GetProperty("status").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_crash_mid_send_is_reconciled_by_lookup_and_never_blindly_resent(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday,
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" },
            configure: b => b.Services.AddKeyedScoped<IMessageProvider, NoLookupProvider>(NoLookupProvider.ProviderName));
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        await OptInAsync(ws, contact, "whatsapp");

        // (3) a provider without lookup (configured for whatsapp): uncertain, never re-sent.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
            db.ProviderSettings.Add(new ProviderSetting
            {
                WorkspaceId = ws.Id, Channel = Channel.Whatsapp, Provider = NoLookupProvider.ProviderName,
                CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }
        // (1) sandbox, crash before the provider got it: lookup says NotFound → sent once.
        var lost = await QueueThenCrashMidSendAsync(app, ws, contact, "sms", "lost");
        // (2) sandbox, crash after the provider got it (outbox row exists): lookup says Found → sent, no second copy.
        var delivered = await QueueThenCrashMidSendAsync(app, ws, contact, "sms", "delivered", providerGotIt: true);
        var unknown = await QueueThenCrashMidSendAsync(app, ws, contact, "whatsapp", "unknown");

        await AdvanceAsync(app, 10); // past the sending lease: the re-runs reconcile
        Assert.Equal("sent", (await ws.GetJsonAsync($"/api/v1/messages/{lost}")).GetProperty("status").GetString());
        Assert.Equal("sent", (await ws.GetJsonAsync($"/api/v1/messages/{delivered}")).GetProperty("status").GetString());
        var uncertain = await ws.GetJsonAsync($"/api/v1/messages/{unknown}");
        Assert.Equal("uncertain", uncertain.GetProperty("status").GetString());
        Assert.Equal("uncertain_after_crash", uncertain.GetProperty("errorCode").GetString());
        Assert.Equal(0, NoLookupProvider.Sends(unknown));

        var outbox = (await ws.GetJsonAsync("/api/v1/sandbox/outbox")).EnumerateArray().Select(o => o.GetProperty("messageId").GetGuid()).ToList();
        Assert.Equal(1, outbox.Count(m => m == lost));
        Assert.Equal(1, outbox.Count(m => m == delivered));
    }

    /// <summary>Simulates a worker killed between "sending" and the status write: the row is sending, the lease ran out, the job is due again.</summary>
    static async Task<Guid> QueueThenCrashMidSendAsync(TouchpointApp app, WorkspaceClient ws, Guid contact, string channel, string key,
        bool providerGotIt = false)
    {
        var id = (await (await SendAsync(ws, new { contactId = contact, channel, body = $"crash {key}" }, key))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var message = await db.OutboundMessages.IgnoreQueryFilters().SingleAsync(m => m.Id == id, Ct);
        message.Status = MessageStatus.Sending;
        message.SendingLeaseUntil = clock.GetUtcNow().AddMinutes(5);
        if (providerGotIt)
            db.SandboxOutbox.Add(new SandboxOutboxItem
            {
                WorkspaceId = ws.Id, MessageId = id, ContactId = contact, Channel = message.Channel, To = message.ToAddress!,
                Body = message.Body!, SentAt = clock.GetUtcNow(), CreatedAt = clock.GetUtcNow(),
            });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    internal static async Task<Guid> OptedInContactAsync(WorkspaceClient ws)
    {
        var contact = await ws.CreateContactAsync(phone: CaliforniaPhone);
        await OptInAsync(ws, contact, "sms");
        return contact;
    }

    static async Task OptInAsync(WorkspaceClient ws, Guid contact, string channel) =>
        (await ws.PutConsentAsync(contact, channel, "opt_in")).EnsureSuccessStatusCode();

    internal static Task<HttpResponseMessage> SendAsync(WorkspaceClient ws, object body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return ws.Http.SendAsync(request, Ct);
    }

    internal static async Task AdvanceAsync(TouchpointApp app, int minutes) =>
        (await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes }, Ct)).EnsureSuccessStatusCode();

    /// <summary>A provider that cannot tell whether it got a message: reconciliation must give up, not re-send.</summary>
    sealed class NoLookupProvider : IMessageProvider
    {
        public const string ProviderName = "test-no-lookup";
        static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> Counts = new();

        public string Name => ProviderName;

        public bool Supports(Channel channel) => true;

        public static int Sends(Guid messageId) => Counts.GetValueOrDefault(messageId);

        public Task<ProviderSendResult> SendAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct)
        {
            Counts.AddOrUpdate(request.MessageId, 1, (_, n) => n + 1);
            return Task.FromResult<ProviderSendResult>(new ProviderSendResult.Accepted("nl-" + request.MessageId));
        }
    }
}
