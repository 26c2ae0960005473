using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Crm;

/// <summary>The real IChatClient path (Microsoft.Extensions.AI.OpenAI) against a loopback OpenAI-compatible server.</summary>
public sealed class AgentTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<Guid> OpenAiAgentAsync(WorkspaceClient ws, FakeChatServer server)
    {
        var agent = await (await ws.Http.PostAsJsonAsync("/api/v1/agents", new
        {
            name = "sales", kind = "openai", endpoint = server.Endpoint, model = "fake-model", apiKey = "sk-test-secret",
        }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.True(agent.GetProperty("hasApiKey").GetBoolean());
        Assert.False(agent.TryGetProperty("apiKey", out _)); // the secret is never returned
        return agent.GetProperty("id").GetGuid();
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task The_api_key_is_encrypted_at_rest_never_returned_and_still_authenticates_and_plaintext_rows_are_upgraded(Store store)
    {
        await using var server = await FakeChatServer.StartAsync();
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var agentId = await OpenAiAgentAsync(ws, server);
        await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE", new { agentId = agentId.ToString() }));
        var contact = await ws.OptedInContactAsync();

        Task<string?> StoredKeyAsync() => app.DbAsync(db => db.Agents.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.Id == agentId).Select(a => a.ApiKey).SingleAsync(Ct));
        var stored = await StoredKeyAsync();
        Assert.NotNull(stored);
        Assert.DoesNotContain("sk-test-secret", stored, StringComparison.Ordinal);
        Assert.StartsWith("dp1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-secret", await ws.Http.GetStringAsync("/api/v1/agents", Ct), StringComparison.Ordinal);

        // The agent decrypts the key for the endpoint only.
        await ws.InboundAsync("hello there");
        await app.AdvanceAsync();
        Assert.Equal("Bearer sk-test-secret", Assert.Single(server.Authorizations));
        Assert.Single(await ws.OutboxAsync(contact));

        // A row written before encryption (plain key) keeps working and is encrypted on that read.
        await app.DbAsync(db => db.Agents.IgnoreQueryFilters().Where(a => a.Id == agentId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.ApiKey, "sk-legacy-plain"), Ct));
        await ws.InboundAsync("are you still there?");
        await app.AdvanceAsync();
        Assert.Equal("Bearer sk-legacy-plain", server.Authorizations.Last());
        var upgraded = await StoredKeyAsync();
        Assert.StartsWith("dp1:", upgraded, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-legacy-plain", upgraded, StringComparison.Ordinal);

        // Listing the agents also encrypts any plain row it reads; a PATCH stores a new key encrypted.
        await app.DbAsync(db => db.Agents.IgnoreQueryFilters().Where(a => a.Id == agentId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.ApiKey, "sk-legacy-again"), Ct));
        var list = await ws.Http.GetStringAsync("/api/v1/agents", Ct);
        Assert.DoesNotContain("sk-legacy-again", list, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-legacy-again", await StoredKeyAsync(), StringComparison.Ordinal);
        var patched = await (await ws.Http.PatchAsJsonAsync($"/api/v1/agents/{agentId}", new { apiKey = "sk-rotated" }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(patched.GetProperty("hasApiKey").GetBoolean());
        Assert.DoesNotContain("sk-rotated", await StoredKeyAsync(), StringComparison.Ordinal);
        await ws.InboundAsync("one more question");
        await app.AdvanceAsync();
        Assert.Equal("Bearer sk-rotated", server.Authorizations.Last());

        var tooLong = await ws.Http.PatchAsJsonAsync($"/api/v1/agents/{agentId}", new { apiKey = new string('k', 300) }, Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest), "apiKey");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_tool_call_outside_the_whitelist_is_refused_and_recorded_and_a_whitelisted_one_runs(Store store)
    {
        await using var server = await FakeChatServer.StartAsync();
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var agentId = await OpenAiAgentAsync(ws, server);
        var board = await ws.CreateBoardAsync(
            CrmTestKit.Column("Bot", "AI_MODE", new { agentId = agentId.ToString(), tools = new[] { "tag_contact" } }),
            CrmTestKit.Column("Closed", "HUMAN_MODE"));
        var contact = await ws.OptedInContactAsync();

        server.Then(FakeChatServer.ToolCall("move_column", new { column = "Closed" }, "call_move"));
        server.Then(FakeChatServer.ToolCall("tag_contact", new { tag = "INTENT_PURCHASE", confidence = 0.95, evidence = "asked for a quote" }, "call_tag"));
        server.Then(FakeChatServer.Text("Here is your quote.\nconfidence: 0.92"));
        await ws.InboundAsync("Can I get a quote?");
        await app.AdvanceAsync();

        var view = await ws.ConversationOfAsync(contact);
        Assert.Equal(board.ColumnId("Bot"), view.GetProperty("conversation").GetProperty("columnId").GetGuid()); // not moved
        Assert.Equal("Here is your quote.", Assert.Single(await ws.OutboxAsync(contact)).GetProperty("body").GetString());

        // Only the whitelisted tool was offered to the model.
        var first = server.Requests.First();
        Assert.Equal("fake-model", first.GetProperty("model").GetString());
        Assert.Equal(["tag_contact"], first.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()));
        // The refusal went back to the model as the tool result.
        var second = server.Requests.Skip(1).First().GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains(second, m => m.GetProperty("role").GetString() == "tool" && m.GetProperty("content").GetString()!.Contains("refused"));

        var transcript = await ws.GetJsonAsync($"/api/v1/conversations/{view.Id()}/agent-transcript");
        var tools = transcript.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "tool")
            .Select(m => m.GetProperty("toolCalls")[0]).ToList();
        Assert.Contains(tools, t => t.GetProperty("name").GetString() == "move_column" && t.GetProperty("status").GetString() == "refused");
        Assert.Contains(tools, t => t.GetProperty("name").GetString() == "tag_contact" && t.GetProperty("status").GetString() == "executed");
        var calls = transcript.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "assistant" && m.GetProperty("toolCalls").ValueKind == JsonValueKind.Array)
            .Select(m => m.GetProperty("toolCalls")[0].GetProperty("name").GetString()).ToList();
        Assert.Equal(["move_column", "tag_contact"], calls.Order());
        var contactView = await ws.GetJsonAsync($"/api/v1/contacts/{contact}");
        Assert.Contains("INTENT_PURCHASE", contactView.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Memory_versions_grow_and_the_agent_gets_the_latest_summary_and_facts_not_the_whole_history(Store store)
    {
        await using var server = await FakeChatServer.StartAsync();
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var agentId = await OpenAiAgentAsync(ws, server);
        await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE", new { agentId = agentId.ToString() }));
        var contact = await ws.OptedInContactAsync();

        await ws.InboundAsync("Hi, my name is Lucia and my email is Lucia@Example.com");
        await app.AdvanceAsync();
        for (var i = 0; i < 5; i++)
        {
            await ws.InboundAsync($"message number {i}");
            await app.AdvanceAsync();
        }
        await ws.InboundAsync("I am interested in the annual plan, budget $5k");
        await app.AdvanceAsync();

        var view = await ws.ConversationOfAsync(contact);
        var memory = await ws.GetJsonAsync($"/api/v1/conversations/{view.Id()}/memory");
        var versions = memory.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(7, versions.Count);
        Assert.Equal(Enumerable.Range(1, 7), versions.Select(v => v.GetProperty("version").GetInt32()));
        var facts = view.GetProperty("memory").GetProperty("facts").EnumerateArray()
            .ToDictionary(f => f.GetProperty("key").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal("lucia@example.com", facts["email"]);
        Assert.Equal("Lucia", facts["name"]);
        Assert.Equal("the annual plan, budget $5k", facts["interest"]);
        Assert.Equal(7, view.GetProperty("memory").GetProperty("summaryVersion").GetInt32());

        // The last request carried summary v7 and the facts, and only the last few messages: not the first one.
        var last = server.Requests.Last().GetProperty("messages").EnumerateArray().ToList();
        var system = last[0].GetProperty("content").GetString()!;
        Assert.Contains("summary (v7)", system);
        Assert.Contains("email=lucia@example.com", system);
        Assert.Contains("name=Lucia", system);
        Assert.True(last.Count <= 7, $"context had {last.Count} messages");
        Assert.DoesNotContain(last.Skip(1), m => m.GetProperty("content").GetString()!.Contains("my name is Lucia"));
    }
}
