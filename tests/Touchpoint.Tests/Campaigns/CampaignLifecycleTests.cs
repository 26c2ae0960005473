using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Features.Campaigns;
using Touchpoint.Jobs;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Campaigns;

/// <summary>Plan edits, pause/resume, operator state changes and concurrent sweeps, black-box where possible.</summary>
public sealed class CampaignLifecycleTests(PostgresCluster pg)
{
    // Tuesday 2026-04-07 17:00 UTC = 13:00 in New York: inside every window.
    const string Midday = "2026-04-07T17:00:00Z";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_plan_edit_leaves_running_enrollments_on_their_version_and_new_ones_get_the_new_one(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday);
        var ws = await app.NewWorkspaceAsync();
        var early = await ws.ReachableContactAsync("Eve", "+12125550151", "America/New_York", "eve@example.com");
        var campaign = await ws.CreateCampaignAsync(CampaignScenario.ThreeStepPlan(firstText: "Version one"));
        await ws.EnrollAsync(campaign, early);
        await app.AdvanceAsync(1);

        var edited = CampaignScenario.ThreeStepPlan(firstText: "Version two");
        var v2 = await (await ws.Http.PutAsJsonAsync($"/api/v1/campaigns/{campaign}", edited, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var again = await (await ws.Http.PutAsJsonAsync($"/api/v1/campaigns/{campaign}", edited, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, v2.GetProperty("planVersion").GetInt32());
        Assert.Equal(v2.GetProperty("planHash").GetString(), again.GetProperty("planHash").GetString()); // identical plan, same hash
        var late = await ws.ReachableContactAsync("Lou", "+12125550152", "America/New_York", "lou@example.com");
        await ws.EnrollAsync(campaign, late);
        await app.AdvanceAsync(1);

        Assert.Equal("Version one", Assert.Single(await ws.OutboxAsync(early)).Body);
        Assert.Equal("Version two", Assert.Single(await ws.OutboxAsync(late)).Body);
        var enrollments = await ws.EnrollmentsAsync(campaign);
        Assert.Equal(1, enrollments[early].GetProperty("planVersion").GetInt32());
        Assert.Equal(2, enrollments[late].GetProperty("planVersion").GetInt32());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Pausing_stops_touches_at_once_and_resume_continues_with_a_new_attempt_of_the_same_step(Store store)
    {
        // 11:00 UTC = 07:00 New York: the first touch waits (scheduled) for 08:00.
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-04-07T11:00:00Z");
        var ws = await app.NewWorkspaceAsync();
        var contact = await ws.ReachableContactAsync("Pat", "+12125550153", "America/New_York", null);
        var campaign = await ws.CreateCampaignAsync(CampaignScenario.ThreeStepPlan());
        await ws.EnrollAsync(campaign, contact);
        await app.AdvanceAsync(30);
        var waiting = Assert.Single((await ws.GetJsonAsync($"/api/v1/messages?campaignId={campaign}")).GetProperty("items").EnumerateArray());
        Assert.Equal("scheduled", waiting.GetProperty("status").GetString());

        await ws.CampaignCommandAsync(campaign, "pause");
        await app.AdvanceAsync(60 * 4);
        Assert.Empty(await ws.OutboxAsync(contact));
        var paused = (await ws.EnrollmentsAsync(campaign))[contact];
        Assert.Equal("campaign_not_active", paused.GetProperty("lastDecision").GetProperty("reasonCode").GetString());

        await ws.CampaignCommandAsync(campaign, "resume");
        await app.AdvanceAsync(1);
        var sent = Assert.Single(await ws.OutboxAsync(contact));
        Assert.Equal((0, "sms"), (sent.StepIndex ?? -1, sent.Channel));
        var statuses = (await ws.GetJsonAsync($"/api/v1/messages?campaignId={campaign}")).GetProperty("items").EnumerateArray()
            .Select(m => m.GetProperty("status").GetString()).Order().ToList();
        Assert.Equal(["denied", "sent"], statuses);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Operators_set_states_through_the_table_and_illegal_ones_are_409_with_the_reason(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday);
        var ws = await app.NewWorkspaceAsync();
        var booked = await ws.ReachableContactAsync("Bo", "+12125550154", "America/New_York", null);
        var stopped = await ws.ReachableContactAsync("Sam", "+12125550155", "America/New_York", null);
        var campaign = await ws.CreateCampaignAsync(CampaignScenario.ThreeStepPlan());
        await ws.EnrollAsync(campaign, booked, stopped);
        await app.AdvanceAsync(1);
        var ids = (await ws.EnrollmentsAsync(campaign)).ToDictionary(e => e.Key, e => e.Value.GetProperty("id").GetGuid());
        Task<HttpResponseMessage> Set(Guid contact, string state) =>
            ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/enrollments/{ids[contact]}/state", new { state, reason = "call notes" }, Ct);

        var ok = await (await Set(booked, "BOOKED")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("BOOKED", ok.GetProperty("state").GetString());
        Assert.Equal("ATTEMPTING", ok.GetProperty("previousState").GetString());
        var refused = await ProblemAssert.IsProblemAsync(await Set(booked, "ATTEMPTING"), HttpStatusCode.Conflict);
        Assert.Contains("not allowed from BOOKED", refused.GetProperty("detail").GetString());
        await ProblemAssert.IsProblemAsync(await Set(booked, "NEW"), HttpStatusCode.Conflict);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(await Set(booked, "SLEEPING"), HttpStatusCode.BadRequest), "state");
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsJsonAsync(
            $"/api/v1/campaigns/{campaign}/enrollments/{Guid.NewGuid()}/state", new { state = "BOOKED" }, Ct), HttpStatusCode.NotFound);

        // STOPPED → ATTEMPTING is the resumed cause: the sequence continues where it was.
        Assert.Equal("STOPPED", (await (await Set(stopped, "STOPPED")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("state").GetString());
        var resumed = await (await Set(stopped, "ATTEMPTING")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("resumed", resumed.GetProperty("cause").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, resumed.GetProperty("nextActionAt").ValueKind);
        await app.AdvanceAsync(60 * 24 + 1);
        Assert.Equal([(0, "sms"), (1, "whatsapp")], (await ws.OutboxAsync(stopped)).Select(o => (o.StepIndex ?? -1, o.Channel)));
        Assert.Single(await ws.OutboxAsync(booked)); // BOOKED is terminal: no step two
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Two_sweeps_running_at_once_never_issue_one_touch_twice(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday,
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" });
        var ws = await app.NewWorkspaceAsync();
        var contacts = new List<Guid>();
        for (var i = 0; i < 12; i++)
            contacts.Add(await ws.ReachableContactAsync($"C{i}", $"+1212555{i + 170:0000}", "America/New_York", null));
        var campaign = await ws.CreateCampaignAsync(CampaignScenario.ThreeStepPlan());
        await ws.EnrollAsync(campaign, [.. contacts]);

        async Task SweepAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            await ((TouchTick)scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(TouchTick.Kind)).SweepAsync(Ct);
        }
        await Task.WhenAll(SweepAsync(), SweepAsync(), SweepAsync());

        await using var db = TouchpointDbOptions.Create(app.Provider, app.ConnectionString);
        var perEnrollment = await db.OutboundMessages.IgnoreQueryFilters().Where(m => m.CampaignId == campaign)
            .GroupBy(m => m.EnrollmentId).Select(g => g.Count()).ToListAsync(Ct);
        Assert.All(perEnrollment, n => Assert.Equal(1, n));

        // A claim lost to a busy store is retried after its lease; still one touch each.
        await app.AdvanceAsync(10);
        var counts = await db.OutboundMessages.IgnoreQueryFilters().Where(m => m.CampaignId == campaign)
            .GroupBy(m => m.EnrollmentId).Select(g => g.Count()).ToListAsync(Ct);
        Assert.Equal(contacts.Count, counts.Count);
        Assert.All(counts, n => Assert.Equal(1, n));
    }
}
