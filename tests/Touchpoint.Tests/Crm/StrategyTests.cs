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

    static async Task<JsonElement> CreateAsync(WorkspaceClient ws, string tone) =>
        await (await ws.Http.PostAsJsonAsync("/api/v1/strategies", new
        {
            tone, objectives = "book demos", objectionHandling = "acknowledge, then answer", ctaRules = "one CTA", followUpPreset = "GENTLE",
            intervalOverrides = new { firstFollowUpHours = 24 },
        }, Ct)).ReadJsonAsync(HttpStatusCode.Created);

    static async Task ActivateAsync(WorkspaceClient ws, JsonElement strategy) =>
        await (await ws.Http.PostAsync($"/api/v1/strategies/{strategy.GetProperty("id").GetGuid()}/activate", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    static async Task<List<string?>> StatusesAsync(WorkspaceClient ws) =>
        [.. (await ws.GetJsonAsync("/api/v1/strategies")).GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("status").GetString())];
}
