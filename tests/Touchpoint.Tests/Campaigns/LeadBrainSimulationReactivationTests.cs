using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Cli;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Campaigns;

/// <summary>Lead brain (next-action), simulation (API and CLI) and the reactivation orchestrator.</summary>
public sealed class LeadBrainSimulationReactivationTests(PostgresCluster pg)
{
    const string Midday = "2026-04-07T17:00:00Z"; // Tuesday 13:00 in New York
    const string MondayMorning = "2026-04-06T11:00:00Z"; // Monday 07:00 in New York: quiet hours
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Next_action_explains_send_stop_all_and_reply_with_the_facts_it_used(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday,
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" });
        var ws = await app.NewWorkspaceAsync();
        var contact = await ws.ReachableContactAsync("Nia", "+12125550161", "America/New_York", "nia@example.com");
        var idle = await ws.GetJsonAsync($"/api/v1/contacts/{contact}/next-action");
        Assert.Equal(("do_nothing", "no_open_sequence"), (idle.GetProperty("action").GetString(), idle.GetProperty("reason").GetString()));

        var campaign = await ws.CreateCampaignAsync(CampaignScenario.ThreeStepPlan());
        await ws.EnrollAsync(campaign, contact);
        var due = await ws.GetJsonAsync($"/api/v1/contacts/{contact}/next-action");
        Assert.Equal(("send", "sms", 0, "campaign_touch_due"), (due.GetProperty("action").GetString(), due.GetProperty("channel").GetString(),
            due.GetProperty("delayMinutes").GetInt32(), due.GetProperty("reason").GetString()));
        Assert.Equal(new[] { "email", "sms", "whatsapp", "call", "voicemail", "rvm", "imessage" }.Order(),
            due.GetProperty("facts").GetProperty("reachableChannels").EnumerateArray().Select(c => c.GetString()!).Order());
        Assert.Single(due.GetProperty("facts").GetProperty("openEnrollments").EnumerateArray());

        await ws.ReplyAsync("sms", "+12125550161", "When can we talk?");
        var answer = await ws.GetJsonAsync($"/api/v1/contacts/{contact}/next-action");
        Assert.Equal(("send", "sms", "reply_awaiting_answer", 90), (answer.GetProperty("action").GetString(),
            answer.GetProperty("channel").GetString(), answer.GetProperty("reason").GetString(), answer.GetProperty("priority").GetInt32()));

        (await ws.Http.PostAsJsonAsync("/api/v1/suppressions", new { contactId = contact, reason = "dnc" }, Ct)).EnsureSuccessStatusCode();
        var stop = await ws.GetJsonAsync($"/api/v1/contacts/{contact}/next-action");
        Assert.Equal(("stop_all", "suppressed"), (stop.GetProperty("action").GetString(), stop.GetProperty("reason").GetString()));
        Assert.Equal("dnc", Assert.Single(stop.GetProperty("facts").GetProperty("suppressions").EnumerateArray()).GetString());
        await ProblemAssert.IsProblemAsync(await ws.Http.GetAsync($"/api/v1/contacts/{Guid.NewGuid()}/next-action", Ct), HttpStatusCode.NotFound);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Simulation_forecasts_touches_per_day_and_channel_and_denials_and_sends_nothing(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: MondayMorning);
        var ws = await app.NewWorkspaceAsync();
        var a = await ws.ReachableContactAsync("Al", "+12125550162", "America/New_York", "al@example.com");
        var b = await ws.ReachableContactAsync("Bea", "+12125550163", "America/New_York", "bea@example.com");
        var noWhatsapp = await ws.CreateContactAsync(phone: "+12125550164", email: "cid@example.com");
        foreach (var channel in new[] { "sms", "email" }) (await ws.PutConsentAsync(noWhatsapp, channel, "opt_in")).EnsureSuccessStatusCode();
        var campaign = await ws.CreateCampaignAsync(CampaignScenario.ThreeStepPlan(), activate: false);
        await ws.EnrollAsync(campaign, a, b, noWhatsapp);

        var result = await (await ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/simulate", new { days = 7 }, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("enrolled", 3), (result.GetProperty("basis").GetString(), result.GetProperty("contactsTotal").GetInt32()));
        var forecast = result.GetProperty("forecast");
        var days = forecast.GetProperty("days").EnumerateArray().ToDictionary(d => d.GetProperty("date").GetString()!, d => d.GetProperty("touchesByChannel"));
        Assert.Equal(3, days["2026-04-06"].GetProperty("sms").GetInt32());
        Assert.Equal(2, days["2026-04-07"].GetProperty("whatsapp").GetInt32());
        Assert.Equal(3, days["2026-04-08"].GetProperty("email").GetInt32());
        Assert.Equal(1, forecast.GetProperty("denialsByReason").GetProperty("consent_required").GetInt32());
        Assert.Equal(3, forecast.GetProperty("deferralsByReason").GetProperty("quiet_hours").GetInt32());
        Assert.Equal(3, forecast.GetProperty("endStates").GetProperty("UNREACHABLE").GetInt32());
        Assert.Equal(3, forecast.GetProperty("completed").GetInt32());
        Assert.Equal(DateTimeOffset.Parse("2026-04-09T12:00:00Z"), forecast.GetProperty("expectedCompletion").GetDateTimeOffset());

        Assert.Empty(await ws.OutboxAsync());
        Assert.Empty((await ws.GetJsonAsync($"/api/v1/messages?campaignId={campaign}")).GetProperty("items").EnumerateArray());
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(
            await ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/simulate", new { days = 0 }, Ct), HttpStatusCode.BadRequest), "days");

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await TouchpointCli.RunAsync(["simulate", "--campaign", campaign.ToString(), "--days", "7", "--workspace", ws.Id.ToString(),
            $"--Database:Provider={store}", $"--ConnectionStrings:{store}={app.ConnectionString}"], stdout, stderr, Ct);
        Assert.True(code == 0, stderr.ToString());
        var cli = JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("forecast");
        Assert.Equal(3, cli.GetProperty("completed").GetInt32());
        Assert.Equal(1, cli.GetProperty("denialsByReason").GetProperty("consent_required").GetInt32());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Unreachable_contacts_are_re_enrolled_into_the_reactivation_campaign_once_per_period(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: Midday,
            settings: new Dictionary<string, string> { ["Touchpoint:Campaigns:ReactivationAfter"] = "1.00:00:00" });
        var ws = await app.NewWorkspaceAsync();
        var contact = await ws.ReachableContactAsync("Rey", "+12125550165", "America/New_York", null);
        object OneStep(string name, bool reactivation) => new
        {
            name, isReactivation = reactivation,
            policy = new { quietHours = new { start = "21:00", end = "08:00" }, allowedChannels = new[] { "sms" }, preset = "BALANCED" },
            steps = new object[] { new { channel = "sms", template = name, delayMinutes = 0 } },
        };
        var first = await ws.CreateCampaignAsync(OneStep("First try", false));
        var comeback = await ws.CreateCampaignAsync(OneStep("Come back", true));
        await ws.EnrollAsync(first, contact);
        await app.AdvanceAsync(1);
        await app.AdvanceAsync(60 * 24); // reply window over: UNREACHABLE, reactivation_after = +1 day
        Assert.Equal("UNREACHABLE", (await ws.EnrollmentsAsync(first))[contact].GetProperty("state").GetString());
        var brain = await ws.GetJsonAsync($"/api/v1/contacts/{contact}/next-action");
        Assert.Equal("waiting_for_reactivation", brain.GetProperty("reason").GetString());

        await app.AdvanceAsync(60 * 24 + 30); // reactivation_after passed: the half-hourly job enrolls
        await app.AdvanceAsync(1);            // the sweep sends its first touch
        await app.AdvanceAsync(30);           // the job runs again in the same period: nothing new
        var outbox = await ws.OutboxAsync(contact);
        Assert.Equal(["First try", "Come back"], outbox.Select(o => o.Body));
        var enrollment = Assert.Single((await ws.EnrollmentsAsync(comeback)).Values);
        Assert.Equal("ATTEMPTING", enrollment.GetProperty("state").GetString());

        await app.AdvanceAsync(60 * 24);      // the comeback sequence ends unreachable too: a new period starts a day later
        await app.AdvanceAsync(60 * 24 + 30);
        await app.AdvanceAsync(60);
        outbox = await ws.OutboxAsync(contact);
        Assert.Equal(["First try", "Come back", "Come back"], outbox.Select(o => o.Body));
        Assert.Single((await ws.EnrollmentsAsync(comeback)).Values);
    }
}
