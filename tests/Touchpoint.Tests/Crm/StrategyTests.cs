using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Crm;

public sealed class StrategyTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Rollback_restores_the_previous_strategy_which_the_agent_then_uses(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var v1 = await CreateAsync(ws, "warm and brief");
        var v2 = await CreateAsync(ws, "formal");
        Assert.Equal(1, v1.GetProperty("versionNumber").GetInt32());
        Assert.Equal("DRAFT", v2.GetProperty("status").GetString());

        await ActivateAsync(ws, v1);
        await ActivateAsync(ws, v2);
        var list = await StatusesAsync(ws);
        Assert.Equal(["SUPERSEDED", "ACTIVE"], list);

        var restored = await (await ws.Http.PostAsync("/api/v1/strategies/rollback", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, restored.GetProperty("versionNumber").GetInt32());
        Assert.Equal(["ACTIVE", "ROLLED_BACK"], await StatusesAsync(ws));
        Assert.Equal("warm and brief", (await ws.GetJsonAsync("/api/v1/strategies/active")).GetProperty("tone").GetString());

        var reactivate = await ws.Http.PostAsync($"/api/v1/strategies/{v2.GetProperty("id").GetGuid()}/activate", null, Ct);
        await ProblemAssert.IsProblemAsync(reactivate, HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsync("/api/v1/strategies/rollback", null, Ct), HttpStatusCode.Conflict);

        // The (offline) agent's prompt carries the active strategy.
        await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE"));
        var contact = await ws.OptedInContactAsync();
        await ws.InboundAsync("hello");
        await app.AdvanceAsync();
        var conversation = await ws.ConversationOfAsync(contact);
        var transcript = await ws.GetJsonAsync($"/api/v1/conversations/{conversation.Id()}/agent-transcript");
        var system = transcript.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("role").GetString() == "system");
        Assert.Contains("Strategy v1: tone: warm and brief", system.GetProperty("content").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task The_model_receives_the_active_strategy_and_a_rollback_changes_the_next_call(Store store)
    {
        await using var server = await FakeChatServer.StartAsync();
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var agent = await (await ws.Http.PostAsJsonAsync("/api/v1/agents", new { name = "sales", kind = "openai", endpoint = server.Endpoint }, Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE", new { agentId = agent.GetProperty("id").GetGuid().ToString() }));
        var contact = await ws.OptedInContactAsync();

        // No active strategy yet: the prompt carries none.
        await ws.InboundAsync("hello");
        await app.AdvanceAsync();
        Assert.DoesNotContain("Strategy v", server.LastSystemPrompt());

        var v1 = await CreateAsync(ws, "warm and brief", objectives: "book demos", objections: "empathize first", cta: "one CTA, a link");
        var v2 = await CreateAsync(ws, "formal", objectives: "qualify budget", objections: "cite case studies", cta: "never more than one question");
        await ActivateAsync(ws, v1);
        await ActivateAsync(ws, v2);
        await ws.InboundAsync("what do you offer?");
        await app.AdvanceAsync();
        var prompt = server.LastSystemPrompt();
        Assert.Contains("Strategy v2: tone: formal; objectives: qualify budget; objection handling: cite case studies; CTA rules: never more than one question", prompt);
        Assert.DoesNotContain("warm and brief", prompt);

        (await ws.Http.PostAsync("/api/v1/strategies/rollback", null, Ct)).EnsureSuccessStatusCode();
        await ws.InboundAsync("and the price?");
        await app.AdvanceAsync();
        prompt = server.LastSystemPrompt();
        Assert.Contains("Strategy v1: tone: warm and brief; objectives: book demos; objection handling: empathize first; CTA rules: one CTA, a link", prompt);
        Assert.DoesNotContain("formal", prompt);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(3, (await ws.OutboxAsync(contact)).Count);
    }

    static async Task<JsonElement> CreateAsync(WorkspaceClient ws, string tone, string objectives = "book demos",
        string objections = "acknowledge, then answer", string cta = "one CTA") =>
        await (await ws.Http.PostAsJsonAsync("/api/v1/strategies", new
        {
            tone, objectives, objectionHandling = objections, ctaRules = cta, followUpPreset = "GENTLE",
            intervalOverrides = new { firstFollowUpHours = 24 },
        }, Ct)).ReadJsonAsync(HttpStatusCode.Created);

    static async Task ActivateAsync(WorkspaceClient ws, JsonElement strategy) =>
        await (await ws.Http.PostAsync($"/api/v1/strategies/{strategy.GetProperty("id").GetGuid()}/activate", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    static async Task<List<string?>> StatusesAsync(WorkspaceClient ws) =>
        [.. (await ws.GetJsonAsync("/api/v1/strategies")).GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("status").GetString())];
}
