using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Features.Crm.Automation;
using Touchpoint.Hosting;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Messaging;

namespace Touchpoint.Tests.Crm;

/// <summary>Automation rules on the manual clock: idempotent per occurrence across nodes, schedules in the contact's zone.</summary>
public sealed class AutomationTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    const string NoTick = "0 0 1 1 *"; // the tests drive evaluation themselves

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_inactivity_rule_fires_once_per_occurrence_across_two_worker_processes(Store store)
    {
        var settings = new Dictionary<string, string> { ["Touchpoint:Crm:AutomationTickCron"] = NoTick };
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday, settings: settings);
        var ws = await app.NewWorkspaceAsync();
        await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE"));
        var contact = await ws.OptedInContactAsync();
        await ws.InboundAsync("hello");
        await app.AdvanceAsync();
        var rule = await (await ws.Http.PostAsJsonAsync("/api/v1/automation-rules", new
        {
            name = "nudge", trigger = "inactivity", inactivityHours = 24, action = "send_template",
            actionConfig = new { body = "Still interested, {{ contact.firstName }}?" },
        }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var ruleId = rule.GetProperty("id").GetGuid();

        await app.AdvanceAsync(60 * 25);
        var now = (await app.Admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock", Ct)).GetProperty("now").GetString()!;
        await using var second = await SecondNodeAsync(app, store, now);
        var engines = new[] { app.Services.GetRequiredService<AutomationEngine>(), second.Services.GetRequiredService<AutomationEngine>() };
        var fired = await Task.WhenAll(engines.Concat(engines).Select(e => Task.Run(() => e.EvaluateAsync(Ct), Ct)));
        Assert.Equal(1, fired.Sum());
        await app.AdvanceAsync();
        Assert.Equal(1, fired.Sum() + (await Task.WhenAll(engines.Select(e => e.EvaluateAsync(Ct)))).Sum()); // nothing new

        var runs = (await ws.GetJsonAsync($"/api/v1/automation-rules/{ruleId}/runs")).GetProperty("runs").EnumerateArray().ToList();
        var run = Assert.Single(runs);
        Assert.Equal("sent", run.GetProperty("status").GetString());
        Assert.Equal("inactivity:2026-03-10T18:00:00.0000000+00:00", run.GetProperty("occurrenceKey").GetString());
        var outbox = await ws.OutboxAsync(contact);
        Assert.Equal(2, outbox.Count); // the AI's answer to "hello" and one nudge
        Assert.Single(outbox, m => m.GetProperty("body").GetString() == "Still interested, Test?");

        // A new inbound message starts a new silence: the next occurrence fires once more.
        await ws.InboundAsync("sorry, was busy");
        await app.AdvanceAsync(60 * 25);
        Assert.Equal(1, await engines[0].EvaluateAsync(Ct));
        Assert.Equal(2, (await ws.GetJsonAsync($"/api/v1/automation-rules/{ruleId}/runs")).GetProperty("runs").GetArrayLength());
    }

    /// <summary>
    /// The same guarantee with two real <c>touchpoint worker</c> processes ticking the rule from their own cron. The
    /// API node (no workers) lives on the manual clock in March; the workers run on the real clock, for which the 24 h
    /// of silence after the March message are long over — so every tick of both processes sees the occurrence due.
    /// </summary>
    [Fact]
    public async Task An_inactivity_rule_fires_once_when_two_real_worker_processes_tick_it()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Postgres, pg, clockAt: CrmTestKit.Midday, settings: new Dictionary<string, string>
        {
            ["Touchpoint:Crm:AutomationTickCron"] = NoTick, ["Touchpoint:Scheduler:Workers"] = "0",
        });
        var ws = await app.NewWorkspaceAsync();
        await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE"));
        var contact = await ws.OptedInContactAsync();
        await ws.InboundAsync("hello");
        var rule = await (await ws.Http.PostAsJsonAsync("/api/v1/automation-rules", new
        {
            name = "nudge", trigger = "inactivity", inactivityHours = 24, action = "send_template",
            actionConfig = new { body = "Still interested, {{ contact.firstName }}?" },
        }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var runsUrl = $"/api/v1/automation-rules/{rule.GetProperty("id").GetGuid()}/runs";

        string[] WorkerArgs() =>
        [
            "--workers", "2", "--urls=http://127.0.0.1:0", "--Database:Provider=Postgres",
            $"--ConnectionStrings:Postgres={app.ConnectionString}", "--Logging:LogLevel:Default=Warning",
            "--Touchpoint:Crm:AutomationTickCron=* * * * *", // every minute: several ticks per process within the test
            "--Touchpoint:Scheduler:TickInterval=00:00:01", "--Touchpoint:Scheduler:IdlePoll=00:00:00.200",
        ];
        using var first = WorkerProcess.Start("worker-1", WorkerArgs());
        using var second = WorkerProcess.Start("worker-2", WorkerArgs());
        WorkerProcess[] workers = [first, second];

        async Task<int> RunCount() => (await ws.GetJsonAsync(runsUrl)).GetProperty("runs").GetArrayLength();
        await MultiWorkerKit.WaitForAsync(async () => await RunCount() > 0, TimeSpan.FromMinutes(4),
            () => "the inactivity rule never ran in the worker processes", workers);
        // Two more minute ticks of each process: the occurrence is still due for them, and must not run again.
        await Task.Delay(TimeSpan.FromSeconds(125), Ct);
        Assert.All(workers, w => Assert.False(w.HasExited, w.Describe()));

        var run = Assert.Single((await ws.GetJsonAsync(runsUrl)).GetProperty("runs").EnumerateArray());
        Assert.Equal("inactivity:2026-03-10T18:00:00.0000000+00:00", run.GetProperty("occurrenceKey").GetString());
        var messages = (await ws.GetJsonAsync($"/api/v1/messages?contactId={contact}")).GetProperty("items").EnumerateArray();
        // One nudge, whatever the recipient's quiet hours make of it at the real time of day (sent or scheduled).
        Assert.Single(messages, m => m.GetProperty("body").GetString() == "Still interested, Test?");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_time_window_RRULE_fires_at_9_in_each_contacts_own_time_zone(Store store)
    {
        // 11:00 UTC = 07:00 in New York, 12:00 in Madrid.
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-10T11:00:00Z");
        var ws = await app.NewWorkspaceAsync();
        await ws.CreateBoardAsync(CrmTestKit.Column("Team", "HUMAN_MODE"));
        var ny = await ContactAsync(ws, "ny@example.com", "America/New_York");
        var madrid = await ContactAsync(ws, "madrid@example.com", "Europe/Madrid");
        await ws.InboundAsync("hello", from: "ny@example.com", channel: "email");
        await ws.InboundAsync("hola", from: "madrid@example.com", channel: "email");
        var rule = await (await ws.Http.PostAsJsonAsync("/api/v1/automation-rules", new
        {
            name = "morning check-in", trigger = "time_window", schedule = "RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0", action = "send_template",
            actionConfig = new { body = "Good morning!" }, guardrails = new { skipHumanColumns = false },
        }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var runsPath = $"/api/v1/automation-rules/{rule.GetProperty("id").GetGuid()}/runs";

        var invalid = await ws.Http.PostAsJsonAsync("/api/v1/automation-rules", new
        {
            name = "bad", trigger = "time_window", schedule = "every morning", action = "send_template", actionConfig = new { body = "x" },
        }, Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(invalid, HttpStatusCode.BadRequest), "schedule");

        // The recurring tick runs on each clock advance. 13:30 UTC = 09:30 New York: only New York is due
        // (Madrid's 09:00 today was 08:00 UTC, before the rule existed).
        await app.AdvanceAsync(150);
        var runs = (await ws.GetJsonAsync(runsPath)).GetProperty("runs").EnumerateArray().ToList();
        var first = Assert.Single(runs);
        Assert.Equal("window:2026-03-10T13:00:00Z", first.GetProperty("occurrenceKey").GetString());
        Assert.Single(await ws.OutboxAsync(ny));
        Assert.Empty(await ws.OutboxAsync(madrid));

        // Next day 08:30 UTC = 09:30 Madrid, 04:30 New York: Madrid's turn, New York's 9:00 is still ahead.
        await app.AdvanceAsync(19 * 60);
        runs = (await ws.GetJsonAsync(runsPath)).GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.Contains(runs, r => r.GetProperty("occurrenceKey").GetString() == "window:2026-03-11T08:00:00Z");
        Assert.Single(await ws.OutboxAsync(madrid));
        Assert.Single(await ws.OutboxAsync(ny));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_tag_added_rule_fires_once_per_confirmed_tag_event_and_never_on_replay(Store store)
    {
        var settings = new Dictionary<string, string> { ["Touchpoint:Crm:AutomationTickCron"] = NoTick };
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday, settings: settings);
        var ws = await app.NewWorkspaceAsync();
        await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE"));
        var contact = await ws.OptedInContactAsync();
        await ws.InboundAsync("hello");
        await app.AdvanceAsync();
        var engine = app.Services.GetRequiredService<AutomationEngine>();

        // A tag from before the rule existed is history, not a trigger.
        await TagAsync(ws, contact, "vip", "human", 1.0);
        await app.AdvanceAsync();
        var rule = await (await ws.Http.PostAsJsonAsync("/api/v1/automation-rules", new
        {
            name = "vip welcome", trigger = "tag_added", tagSlug = "vip", action = "send_template",
            actionConfig = new { body = "Welcome to VIP, {{ contact.firstName }}!" },
        }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("VIP", rule.GetProperty("tagSlug").GetString());
        var runsPath = $"/api/v1/automation-rules/{rule.GetProperty("id").GetGuid()}/runs";
        await app.AdvanceAsync();
        Assert.Equal(0, await engine.EvaluateAsync(Ct));

        // AI tags below the threshold wait for a human: no trigger until confirmed; a rejected one never fires.
        var pending = await TagAsync(ws, contact, "vip", "ai", 0.5);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        var rejected = await TagAsync(ws, contact, "vip", "ai", 0.4);
        Assert.Equal(0, await engine.EvaluateAsync(Ct));
        (await ws.Http.PostAsync($"/api/v1/tag-events/{rejected.GetProperty("id").GetGuid()}/reject", null, Ct)).EnsureSuccessStatusCode();
        Assert.Equal(0, await engine.EvaluateAsync(Ct));

        await app.AdvanceAsync();
        var confirmPath = $"/api/v1/tag-events/{pending.GetProperty("id").GetGuid()}/confirm";
        (await ws.Http.PostAsync(confirmPath, null, Ct)).EnsureSuccessStatusCode();
        // Concurrent ticks and later replays: the occurrence (the tag event) runs once.
        var fired = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => engine.EvaluateAsync(Ct), Ct)));
        Assert.Equal(1, fired.Sum());
        await app.AdvanceAsync(60);
        Assert.Equal(0, await engine.EvaluateAsync(Ct));
        // Confirming the same event again is idempotent (the event as it is) and fires nothing.
        Assert.Equal("confirmed", (await (await ws.Http.PostAsync(confirmPath, null, Ct)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal(0, await engine.EvaluateAsync(Ct));

        var run = Assert.Single((await ws.GetJsonAsync(runsPath)).GetProperty("runs").EnumerateArray());
        Assert.Equal($"tag:{pending.GetProperty("id").GetGuid()}", run.GetProperty("occurrenceKey").GetString());
        Assert.Equal("sent", run.GetProperty("status").GetString());
        var outbox = await ws.OutboxAsync(contact);
        Assert.Equal(2, outbox.Count); // the answer to "hello" and one welcome
        Assert.Single(outbox, m => m.GetProperty("body").GetString() == "Welcome to VIP, Test!");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_run_agent_rule_calls_the_columns_agent_with_its_instruction_through_the_same_gates(Store store)
    {
        await using var server = await FakeChatServer.StartAsync();
        var settings = new Dictionary<string, string> { ["Touchpoint:Crm:AutomationTickCron"] = NoTick };
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday, settings: settings);
        var ws = await app.NewWorkspaceAsync();
        var agent = await (await ws.Http.PostAsJsonAsync("/api/v1/agents", new { name = "closer", kind = "openai", endpoint = server.Endpoint }, Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        var board = await ws.CreateBoardAsync(
            CrmTestKit.Column("Bot", "AI_MODE", new { agentId = agent.GetProperty("id").GetGuid().ToString(), automations = new { maxMessagesPerDay = 2 } }),
            CrmTestKit.Column("Humans", "HUMAN_MODE"));
        var contact = await ws.OptedInContactAsync();
        await ws.InboundAsync("hello");
        await app.AdvanceAsync();
        Assert.Single(server.Requests); // the dispatcher's answer: 1 of 2 AI messages today
        var conversation = (await ws.ConversationOfAsync(contact)).Id();

        // skipHumanColumns off: the dispatcher's gates, not the rule's guardrail, must keep the agent quiet.
        var rule = await (await ws.Http.PostAsJsonAsync("/api/v1/automation-rules", new
        {
            name = "discount nudge", trigger = "inactivity", inactivityHours = 1, action = "run_agent",
            actionConfig = new { instruction = "Offer a 10% discount valid until Friday." }, guardrails = new { skipHumanColumns = false },
        }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var runsPath = $"/api/v1/automation-rules/{rule.GetProperty("id").GetGuid()}/runs";
        var engine = app.Services.GetRequiredService<AutomationEngine>();
        async Task<JsonElement> NextRunAsync(int expectedRuns)
        {
            await app.AdvanceAsync(61);
            Assert.Equal(1, await engine.EvaluateAsync(Ct));
            Assert.Equal(0, await engine.EvaluateAsync(Ct)); // the same occurrence never runs twice
            var runs = (await ws.GetJsonAsync(runsPath)).GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(expectedRuns, runs.Count);
            return runs[^1];
        }

        // 1. Passes every gate: the column's agent gets the instruction, its answer is sent and the run recorded.
        server.Then(FakeChatServer.Text("Good news: 10% off until Friday!\nconfidence: 0.95"));
        var replied = await NextRunAsync(1);
        Assert.Equal("replied", replied.GetProperty("status").GetString());
        Assert.Equal(conversation, replied.GetProperty("conversationId").GetGuid());
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("Task: Offer a 10% discount valid until Friday.", server.LastSystemPrompt());
        await app.AdvanceAsync(); // the queued send goes out
        var outbox = await ws.OutboxAsync(contact);
        Assert.True(outbox.Any(m => m.GetProperty("body").GetString() == "Good news: 10% off until Friday!"), string.Join(" | ", outbox));
        var view = await ws.ConversationOfAsync(contact);
        Assert.Contains(view.Messages("system"), m => m.GetProperty("content").GetString()!.StartsWith("automation agent: reply", StringComparison.Ordinal));

        // 2. Consent revoked: blocked before any model call.
        (await ws.PutConsentAsync(contact, "sms", "opt_out", source: "support_call")).EnsureSuccessStatusCode();
        await ws.InboundAsync("what is this about");
        Assert.Equal("blocked", (await NextRunAsync(2)).GetProperty("status").GetString());

        // 3. Consent back, but the AI already sent 2 of 2 messages today: capped.
        (await ws.PutConsentAsync(contact, "sms", "opt_in")).EnsureSuccessStatusCode();
        await ws.InboundAsync("ok thanks");
        Assert.Equal("capped", (await NextRunAsync(3)).GetProperty("status").GetString());

        // 4. In a HUMAN_MODE column the AI is silent.
        (await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/move", new { columnId = board.ColumnId("Humans") }, Ct))
            .EnsureSuccessStatusCode();
        await ws.InboundAsync("hi again");
        Assert.Equal("silenced", (await NextRunAsync(4)).GetProperty("status").GetString());

        Assert.Equal(2, server.Requests.Count); // no gate-stopped run reached the model
        Assert.Equal(2, (await ws.OutboxAsync(contact)).Count);
    }

    static async Task<JsonElement> TagAsync(WorkspaceClient ws, Guid contact, string tag, string source, double confidence) =>
        await (await ws.Http.PostAsJsonAsync($"/api/v1/contacts/{contact}/tags", new { tag, source, confidence }, Ct))
            .ReadJsonAsync(HttpStatusCode.Created);

    static async Task<Guid> ContactAsync(WorkspaceClient ws, string email, string timezone)
    {
        var created = await (await ws.Http.PostAsJsonAsync("/api/v1/contacts", new
        {
            firstName = "Test", timezone, channels = new[] { new { kind = "email", value = email } },
        }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    /// <summary>Another process on the same database (no worker loops), its manual clock at the first node's "now".</summary>
    static async Task<WebApplication> SecondNodeAsync(TouchpointApp first, Store store, string now)
    {
        var config = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Database:Provider"] = store.ToString(),
            [$"ConnectionStrings:{store}"] = first.ConnectionString,
            ["Touchpoint:AdminApiKey"] = TouchpointApp.AdminKey,
            ["Touchpoint:Scheduler:Workers"] = "0",
            ["Touchpoint:Crm:AutomationTickCron"] = NoTick,
            ["Clock:Mode"] = "Manual",
            ["Clock:Start"] = now,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var node = TouchpointWeb.Build([.. config.Select(kv => $"--{kv.Key}={kv.Value}")]);
        await node.StartAsync(Ct);
        return node;
    }
}
