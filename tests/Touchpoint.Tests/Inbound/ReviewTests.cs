using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;
using static Touchpoint.Tests.Inbound.InboundTestKit;

namespace Touchpoint.Tests.Inbound;

/// <summary>Opt-out-like free text: paused and flagged, never binding until a human decides.</summary>
public sealed class ReviewTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Opt_out_like_text_pauses_and_opens_a_review_and_not_opt_out_resumes(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        var campaign = await EnrolledInActiveCampaignAsync(ws, contact);

        await SandboxInboundAsync(ws, "please stop texting me");

        var review = Assert.Single(await OpenReviewsAsync(ws));
        Assert.Equal(("opt_out_like", contact), (review.GetProperty("kind").GetString(), review.GetProperty("contactId").GetGuid()));
        Assert.Equal("please stop texting me", review.GetProperty("inbound").GetProperty("body").GetString());
        var paused = Assert.Single(review.GetProperty("pausedEnrollments").EnumerateArray());
        Assert.Equal((campaign, true), (paused.GetProperty("campaignId").GetGuid(), paused.GetProperty("paused").GetBoolean()));
        // Nothing binding happened: consent, suppressions and state are as before, no reply went out.
        Assert.Equal("opt_in", (await ConsentHistoryAsync(ws, contact, "sms"))[0].GetProperty("status").GetString());
        Assert.Empty(await SuppressionsAsync(ws, contact));
        Assert.Equal("NEW", await EnrollmentStateAsync(ws, campaign, contact));

        var resolved = await (await ResolveAsync(ws, review.GetProperty("id").GetGuid(), new { action = "not_opt_out", note = "asked to stop the reminders only" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("dismissed", resolved.GetProperty("status").GetString());
        Assert.False(resolved.GetProperty("pausedEnrollments")[0].GetProperty("paused").GetBoolean());
        Assert.Empty(await OpenReviewsAsync(ws));
        Assert.False(await app.DbAsync(db => db.Enrollments.Where(e => e.ContactId == contact).Select(e => e.Paused).SingleAsync(Ct)));
        Assert.Empty(await SuppressionsAsync(ws, contact));

        await ProblemAssert.IsProblemAsync(await ResolveAsync(ws, review.GetProperty("id").GetGuid(), new { action = "opt_out" }), HttpStatusCode.Conflict);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Resolving_as_opt_out_applies_the_full_opt_out(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        var campaign = await EnrolledInActiveCampaignAsync(ws, contact);
        await SandboxInboundAsync(ws, "no more messages please");
        var id = Assert.Single(await OpenReviewsAsync(ws)).GetProperty("id").GetGuid();

        var resolved = await (await ResolveAsync(ws, id, new { action = "opt_out" })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        var consent = (await ConsentHistoryAsync(ws, contact, "sms"))[0];
        Assert.Equal(("opt_out", "review"), (consent.GetProperty("status").GetString(), consent.GetProperty("source").GetString()));
        Assert.Equal("opted_out", Assert.Single(await SuppressionsAsync(ws, contact)).GetProperty("reason").GetString());
        Assert.Equal("STOPPED", await EnrollmentStateAsync(ws, campaign, contact));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Bad_resolve_requests_name_the_field_and_unknown_reviews_are_404(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await OptedInContactAsync(ws);
        await SandboxInboundAsync(ws, "remove me from your list");
        var id = Assert.Single(await OpenReviewsAsync(ws)).GetProperty("id").GetGuid();

        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(await ResolveAsync(ws, id, new { action = "maybe" }), HttpStatusCode.BadRequest), "action");
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(await ws.Http.GetAsync("/api/v1/reviews?status=pending", Ct), HttpStatusCode.BadRequest), "status");
        await ProblemAssert.IsProblemAsync(await ResolveAsync(ws, Guid.NewGuid(), new { action = "opt_out" }), HttpStatusCode.NotFound);
        // Another workspace cannot see or decide it.
        var other = await app.NewWorkspaceAsync();
        Assert.Empty((await other.GetJsonAsync("/api/v1/reviews?status=open")).GetProperty("items").EnumerateArray());
        await ProblemAssert.IsProblemAsync(await ResolveAsync(other, id, new { action = "opt_out" }), HttpStatusCode.NotFound);
    }

    static async Task<List<JsonElement>> OpenReviewsAsync(WorkspaceClient ws) =>
        [.. (await ws.GetJsonAsync("/api/v1/reviews?status=open")).GetProperty("items").EnumerateArray()];

    static Task<HttpResponseMessage> ResolveAsync(WorkspaceClient ws, Guid id, object body) =>
        ws.Http.PostAsJsonAsync($"/api/v1/reviews/{id}/resolve", body, Ct);
}
