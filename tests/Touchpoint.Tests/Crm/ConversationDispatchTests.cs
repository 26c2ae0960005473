using System.Net;
using System.Net.Http.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Crm;

/// <summary>Inbound replies through the sandbox → conversation → dispatcher gates → agent, reply, draft or escalation.</summary>
public sealed class ConversationDispatchTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_AI_column_answers_through_the_send_pipeline_and_a_HUMAN_MODE_column_stays_silent(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var board = await ws.CreateBoardAsync(CrmTestKit.Column("Human", "HUMAN_MODE"), CrmTestKit.Column("Bot", "AI_MODE"));
        var contact = await ws.OptedInContactAsync();

        await ws.InboundAsync("Hi, what are your prices?");
        await app.AdvanceAsync();
        var view = await ws.ConversationOfAsync(contact);
        Assert.Equal(board.ColumnId("Human"), view.GetProperty("conversation").GetProperty("columnId").GetGuid());
        Assert.Empty(view.Messages("assistant"));
        Assert.Empty(await ws.OutboxAsync(contact));
        Assert.Contains(view.Messages("system"), m => m.GetProperty("content").GetString()!.Contains("HUMAN_MODE"));

        // Moved to the AI column, the next message is answered and really sent.
        (await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{view.Id()}/move", new { columnId = board.ColumnId("Bot") }, Ct)).EnsureSuccessStatusCode();
        await ws.InboundAsync("How much does it cost?");
        await app.AdvanceAsync();
        view = await ws.ConversationOfAsync(contact);
        var reply = Assert.Single(view.Messages("assistant"));
        Assert.Equal("queued", reply.GetProperty("status").GetString()); // status when submitted; the outbox below proves the send
        var sent = Assert.Single(await ws.OutboxAsync(contact));
        Assert.Equal(reply.GetProperty("content").GetString(), sent.GetProperty("body").GetString());
        Assert.DoesNotContain("confidence", sent.GetProperty("body").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_HYBRID_column_keeps_the_answer_as_a_draft_until_a_human_approves_it(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        await ws.CreateBoardAsync(CrmTestKit.Column("Review", "HYBRID"));
        var contact = await ws.OptedInContactAsync();

        await ws.InboundAsync("Hello! what is the price of the pro plan?");
        await app.AdvanceAsync();
        var view = await ws.ConversationOfAsync(contact);
        var draft = Assert.Single(view.Messages("assistant"));
        Assert.Equal("pending", draft.GetProperty("approvalState").GetString());
        Assert.Empty(await ws.OutboxAsync(contact));

        var approved = await (await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{view.Id()}/drafts/{draft.GetProperty("id").GetGuid()}/approve",
            new { body = "Pro is $49/month.", by = "ana" }, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("transactional_reply", approved.GetProperty("purpose").GetString());
        Assert.True(approved.GetProperty("allowSend").GetBoolean());
        await app.AdvanceAsync();
        Assert.Equal("Pro is $49/month.", Assert.Single(await ws.OutboxAsync(contact)).GetProperty("body").GetString());

        // Approving twice is a conflict, not a second message.
        var again = await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{view.Id()}/drafts/{draft.GetProperty("id").GetGuid()}/approve", new { }, Ct);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Revoked_consent_sends_nothing_not_even_a_human_reply(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE"));
        var contact = await ws.OptedInContactAsync();
        await ws.InboundAsync("Hi there, prices please");
        await app.AdvanceAsync();
        Assert.Single(await ws.OutboxAsync(contact));

        (await ws.PutConsentAsync(contact, "sms", "opt_out", source: "support_call")).EnsureSuccessStatusCode();
        await ws.InboundAsync("hello again, what about the price?");
        await app.AdvanceAsync();
        var view = await ws.ConversationOfAsync(contact);
        Assert.Single(view.Messages("assistant")); // only the first answer; the gate stopped the second
        Assert.Contains(view.Messages("system"), m => m.GetProperty("content").GetString()!.Contains("consent_opt_out"));

        // The contact wrote minutes ago, so a human's answer is a transactional reply — and still denied.
        var reply = await (await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{view.Id()}/replies",
            new { body = "Our sales team will call you", by = "ana" }, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("transactional_reply", reply.GetProperty("purpose").GetString());
        Assert.False(reply.GetProperty("allowSend").GetBoolean());
        Assert.Equal("consent_opt_out", reply.GetProperty("reasonCode").GetString());
        Assert.Equal("denied", reply.GetProperty("sendStatus").GetString());

        // A day later it would be marketing: denied the same way.
        await app.AdvanceAsync(60 * 25);
        var later = await (await ws.Http.PostAsJsonAsync($"/api/v1/conversations/{view.Id()}/replies",
            new { body = "Special offer!" }, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("marketing", later.GetProperty("purpose").GetString());
        Assert.False(later.GetProperty("allowSend").GetBoolean());
        await app.AdvanceAsync();
        Assert.Single(await ws.OutboxAsync(contact));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_escalation_tag_moves_the_conversation_to_the_human_column_with_the_reason(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        var board = await ws.CreateBoardAsync(
            CrmTestKit.Column("Bot", "AI_MODE", new { tools = new[] { "tag_contact" }, guardrails = new { escalateOnTags = new[] { "UPSET_CUSTOMER" } } }),
            CrmTestKit.Column("Humans", "HUMAN_MODE"));
        var contact = await ws.OptedInContactAsync();

        await ws.InboundAsync("This is ridiculous, the worst service ever");
        await app.AdvanceAsync();
        var view = await ws.ConversationOfAsync(contact);
        var card = view.GetProperty("conversation");
        Assert.Equal(board.ColumnId("Humans"), card.GetProperty("columnId").GetGuid());
        Assert.Equal("review", card.GetProperty("status").GetString());
        Assert.Contains("UPSET_CUSTOMER", card.GetProperty("escalationReason").GetString());
        Assert.Empty(await ws.OutboxAsync(contact));
        // The agent's answer waits for a human instead of going out.
        Assert.Equal("pending", Assert.Single(view.Messages("assistant")).GetProperty("approvalState").GetString());
        var tags = await ws.GetJsonAsync($"/api/v1/tag-events?contactId={contact}");
        Assert.Equal("UPSET_CUSTOMER", Assert.Single(tags.GetProperty("tagEvents").EnumerateArray()).GetProperty("tag").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_override_beats_the_column_config_and_the_effective_config_shows_both_origins(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: CrmTestKit.Midday);
        var ws = await app.NewWorkspaceAsync();
        await ws.CreateBoardAsync(CrmTestKit.Column("Bot", "AI_MODE", new
        {
            model = "gpt-4o", tools = new[] { "tag_contact", "book_meeting" },
            automations = new { maxMessagesPerDay = 5 }, guardrails = new { prohibitedTopics = new[] { "medical_claims" } },
        }));
        var contact = await ws.OptedInContactAsync();
        await ws.InboundAsync("hello");
        await app.AdvanceAsync();
        var id = (await ws.ConversationOfAsync(contact)).Id();

        var bad = await ws.Http.PutAsJsonAsync($"/api/v1/conversations/{id}/overrides", new { tools = new[] { "launch_rockets" } }, Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest), "tools[0]");

        var effective = await (await ws.Http.PutAsJsonAsync($"/api/v1/conversations/{id}/overrides",
            new { automations = new { maxMessagesPerDay = 1 }, guardrails = new { prohibitedTopics = new[] { "refunds" } } }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        var e = effective.GetProperty("effective");
        Assert.Equal(1, e.GetProperty("maxMessagesPerDay").GetInt32());
        Assert.Equal("gpt-4o", e.GetProperty("model").GetString());
        Assert.Equal(["medical_claims", "refunds"], e.GetProperty("prohibitedTopics").EnumerateArray().Select(t => t.GetString()));
        var origins = e.GetProperty("origins");
        Assert.Equal("override", origins.GetProperty("automations.maxMessagesPerDay").GetString());
        Assert.Equal("column", origins.GetProperty("model").GetString());
        Assert.Equal("column+override", origins.GetProperty("guardrails.prohibitedTopics").GetString());
        Assert.Equal("default", origins.GetProperty("agentId").GetString());
        Assert.Equal(5, effective.GetProperty("column").GetProperty("automations").GetProperty("maxMessagesPerDay").GetInt32());
        Assert.Equal("AI_MODE", effective.GetProperty("mode").GetString());

        // The override is what the dispatcher applies: one AI message a day, already used by "hello".
        await ws.InboundAsync("hi, what is the price?");
        await app.AdvanceAsync();
        var view = await ws.ConversationOfAsync(contact);
        Assert.Single(view.Messages("assistant"));
        Assert.Contains(view.Messages("system"), m => m.GetProperty("content").GetString()!.Contains("1 of 1"));
    }
}
