using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Crm;

/// <summary>What humans do on the board: card counts, claim/release, human replies, confirming AI tags.</summary>
public sealed class ConversationHandlingTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_claim_silences_the_AI_until_release_and_a_human_reply_goes_out_through_the_policy_pipeline(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var board = await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE"), CrmTestKit.Column("Humans", "HUMAN_MODE"));
        var contact = await ws.OptedInContactAsync();
        await ws.InboundAsync("Hi, what are your prices?");
        await app.AdvanceAsync();
        var id = (await ws.ConversationOfAsync(contact)).Id();
        Assert.Equal((1, 1, 0), await CountsAsync(ws, board));

        var claimed = await (await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/claim", new { by = "ana" }, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("ana", claimed.GetProperty("claimedBy").GetString());
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/claim", new { by = "bob" }, Ct), HttpStatusCode.Conflict);

        await ws.InboundAsync("How much is the pro plan?");
        await app.AdvanceAsync();
        var view = await ws.ConversationOfAsync(contact);
        Assert.Single(view.Messages("assistant")); // only the answer from before the claim
        Assert.Contains(view.Messages("system"), m => m.GetProperty("content").GetString()!.Contains("a human claimed the conversation"));

        // The human's answer: a reply to the contact's own message, allowed by the policy engine and really sent.
        var reply = await (await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/replies", new { body = "Pro is $49/month.", by = "ana" }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("transactional_reply", reply.GetProperty("purpose").GetString());
        Assert.True(reply.GetProperty("allowSend").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, reply.GetProperty("outboundMessageId").ValueKind);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(
            await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/replies", new { body = " " }, Ct), HttpStatusCode.BadRequest), "body");
        await app.AdvanceAsync();
        Assert.Contains(await ws.OutboxAsync(contact), m => m.GetProperty("body").GetString() == "Pro is $49/month.");

        var released = await (await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/release", new { by = "ana" }, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, released.GetProperty("claimedBy").ValueKind);
        await ws.InboundAsync("And the price of the team plan?");
        await app.AdvanceAsync();
        Assert.Equal(2, (await ws.ConversationOfAsync(contact)).Messages("assistant").Count); // the AI answers again

        (await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/move", new { columnId = board.ColumnId("Humans") }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal((1, 0, 1), await CountsAsync(ws, board));
        var badMove = await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/move", new { columnId = Guid.NewGuid() }, Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(badMove, HttpStatusCode.BadRequest), "columnId");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task AI_tags_below_the_threshold_wait_for_a_human_before_they_reach_the_contact(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var contact = await ws.OptedInContactAsync();

        var unsure = await TagAsync(ws, contact, "hot lead", "ai", 0.55);
        Assert.Equal(("HOT_LEAD", "pending"), (unsure.GetProperty("tag").GetString(), unsure.GetProperty("status").GetString()));
        var sure = await TagAsync(ws, contact, "pricing_question", "ai", 0.9);
        Assert.Equal("confirmed", sure.GetProperty("status").GetString());
        var human = await TagAsync(ws, contact, "vip", "human", 0.1); // a human's tag applies whatever the confidence
        Assert.Equal("confirmed", human.GetProperty("status").GetString());
        Assert.Equal(["PRICING_QUESTION", "VIP"], await ContactTagsAsync(ws, contact));

        var pending = (await ws.GetJsonAsync($"/api/v1/tag-events?contactId={contact}&status=pending")).GetProperty("tagEvents");
        Assert.Equal(unsure.GetProperty("id").GetGuid(), Assert.Single(pending.EnumerateArray()).GetProperty("id").GetGuid());

        (await ws.Http.PostAsJsonAsync($"/api/v1/tag-events/{unsure.GetProperty("id").GetGuid()}/confirm", new { by = "ana" }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal(["HOT_LEAD", "PRICING_QUESTION", "VIP"], await ContactTagsAsync(ws, contact));
        var rejectConfirmed = await ws.Http.PostAsync($"/api/v1/tag-events/{unsure.GetProperty("id").GetGuid()}/reject", null, Ct);
        await ProblemAssert.IsProblemAsync(rejectConfirmed, HttpStatusCode.Conflict);

        var bad = await ws.Http.PostAsJsonAsync($"/api/v1/contacts/{contact}/tags", new { tag = "x", source = "ai", confidence = 1.5 }, Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest), "confidence");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_prohibited_topic_escalates_before_the_model_and_a_low_confidence_answer_waits_as_a_draft(Store store)
    {
        await using var server = await FakeChatServer.StartAsync();
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var agent = await (await ws.Http.PostAsJsonAsync("/api/v1/agents", new { name = "bot", kind = "openai", endpoint = server.Endpoint }, Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        var board = await ws.CreateBoardAsync(
            CrmTestKit.Column("Bot", "AI_MODE", new { agentId = agent.GetProperty("id").GetGuid().ToString(),
                guardrails = new { prohibitedTopics = new[] { "medical_claims" }, minConfidence = 0.7 } }),
            CrmTestKit.Column("Humans", "HUMAN_MODE"));
        var first = await ws.OptedInContactAsync();
        var second = await ws.OptedInContactAsync(phone: "+14155550199");

        // Guardrail hit: escalated with the reason, and the model is never asked.
        await ws.InboundAsync("Will this cure my medical condition?");
        await app.AdvanceAsync();
        var card = (await ws.ConversationOfAsync(first)).GetProperty("conversation");
        Assert.Equal((board.ColumnId("Humans"), "review"), (card.GetProperty("columnId").GetGuid(), card.GetProperty("status").GetString()));
        Assert.Contains("prohibited topic 'medical_claims'", card.GetProperty("escalationReason").GetString());
        Assert.Empty(server.Requests);

        // Low confidence: the answer is kept as a pending draft and the conversation goes to a human.
        server.Then(FakeChatServer.Text("Maybe next week?\nconfidence: 0.4"));
        await ws.InboundAsync("When does the new plan launch?", from: "+14155550199");
        await app.AdvanceAsync();
        var view = await ws.ConversationOfAsync(second);
        card = view.GetProperty("conversation");
        Assert.Equal(board.ColumnId("Humans"), card.GetProperty("columnId").GetGuid());
        Assert.Contains("low confidence 0.40 < 0.70", card.GetProperty("escalationReason").GetString());
        var draft = Assert.Single(view.Messages("assistant"));
        Assert.Equal(("pending", "Maybe next week?"), (draft.GetProperty("approvalState").GetString(), draft.GetProperty("content").GetString()));
        Assert.Empty(await ws.OutboxAsync(second));
        Assert.Empty(await ws.OutboxAsync(first));
    }

    static async Task<(int Board, int First, int Second)> CountsAsync(WorkspaceClient ws, JsonElement board)
    {
        var boards = (await ws.GetJsonAsync("/api/v1/boards")).GetProperty("boards").EnumerateArray();
        var b = boards.Single(x => x.GetProperty("id").GetGuid() == board.GetProperty("id").GetGuid());
        var columns = b.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("cardCount").GetInt32()).ToList();
        return (b.GetProperty("cardCount").GetInt32(), columns[0], columns[1]);
    }

    static async Task<JsonElement> TagAsync(WorkspaceClient ws, Guid contact, string tag, string source, double confidence) =>
        await (await ws.Http.PostAsJsonAsync($"/api/v1/contacts/{contact}/tags", new { tag, source, confidence }, Ct))
            .ReadJsonAsync(HttpStatusCode.Created);

    static async Task<List<string?>> ContactTagsAsync(WorkspaceClient ws, Guid contact) =>
        [.. (await ws.GetJsonAsync($"/api/v1/contacts/{contact}")).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order()];
}
