using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Campaigns;

/// <summary>
/// Issue 5 gaps, black-box on the manual clock: every message event a step's stopOnEvents lists ends the sequence,
/// a suppression or opt-out after enrolling STOPS (or DO_NOT_CONTACTs) instead of ending UNREACHABLE, the active
/// strategy's cadence is used (and a rollback changes the next touch), and an expired step is skipped and recorded.
/// </summary>
public sealed class CampaignEngineGapTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Monday 2026-04-06 13:00 UTC = 09:00 New York: inside the sending window for the whole test.
    const string MondayNine = "2026-04-06T13:00:00Z";
    const string Zone = "America/New_York";

    static object Plan(object[] steps, string? preset = "BALANCED") => new
    {
        name = "gaps",
        policy = new { quietHours = new { start = "21:00", end = "08:00" }, maxTouchesPerDay = 10, maxTouchesPerWeek = 20,
            allowedChannels = new[] { "sms", "email" }, preset },
        steps,
    };

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_message_event_the_step_stops_on_ends_the_sequence_with_cause_stop_on_event(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: MondayNine);
        var ws = await app.NewWorkspaceAsync();
        var bad = await ws.Http.PostAsJsonAsync("/api/v1/campaigns", Plan([new { channel = "sms", template = "Hi", stopOnEvents = new[] { "exploded" } }]), Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest), "steps[0].stopOnEvents");

        var delivered = await ws.ReachableContactAsync("Del", "+12125550151", Zone, null);
        var failed = await ws.ReachableContactAsync("Fay", "+12125550152", Zone, null);
        var quiet = await ws.ReachableContactAsync("Quinn", "+12125550153", Zone, null);
        var campaign = await ws.CreateCampaignAsync(Plan([
            new { channel = "sms", template = "One", delayMinutes = 0, fallback = new { order = new[] { "sms" }, maxAttempts = 3, cooldownMinutes = 10 },
                stopOnEvents = new[] { "delivered", "failed", "replied" } },
            new { channel = "sms", template = "Two", delayMinutes = 60 },
        ]));
        await ws.EnrollAsync(campaign, delivered, failed, quiet);
        await app.AdvanceAsync(1);
        var first = (await ws.OutboxAsync()).ToDictionary(o => o.ContactId);
        Assert.Equal(3, first.Count);

        await ws.DeliveryEventAsync(first[delivered].MessageId, "delivered", null);
        // 30003 is transient: without the stop event the step would retry SMS after its 10-minute cooldown.
        await ws.DeliveryEventAsync(first[failed].MessageId, "failed", "30003");
        for (var i = 0; i < 9; i++) await app.AdvanceAsync(10);

        var outbox = await ws.OutboxAsync();
        Assert.Single(outbox, o => o.ContactId == delivered);
        Assert.Single(outbox, o => o.ContactId == failed);
        Assert.Equal([0, 1], outbox.Where(o => o.ContactId == quiet).Select(o => o.StepIndex ?? -1));
        var enrollments = await ws.EnrollmentsAsync(campaign);
        Assert.Equal(("STOPPED", "delivered"), State(enrollments[delivered]));
        Assert.Equal(("STOPPED", "failed"), State(enrollments[failed]));
        Assert.Equal("ATTEMPTING", enrollments[quiet].GetProperty("state").GetString());
        var timeline = (await ws.GetJsonAsync($"/api/v1/contacts/{delivered}/timeline")).ToString();
        Assert.Contains("ENROLLMENT_STOPPED", timeline, StringComparison.Ordinal);
        Assert.Contains("stop_on_event", timeline, StringComparison.Ordinal);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_suppression_or_opt_out_after_enrolling_stops_the_enrollment_and_the_denied_touch_is_a_recorded_decision(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: MondayNine);
        var ws = await app.NewWorkspaceAsync();
        var manual = await ws.ReachableContactAsync("Manu", "+12125550161", Zone, "manu@example.com");
        var optOut = await ws.ReachableContactAsync("Otto", "+12125550162", Zone, "otto@example.com");
        var complaint = await ws.ReachableContactAsync("Cora", "+12125550163", Zone, "cora@example.com");
        var campaign = await ws.CreateCampaignAsync(Plan([
            new { channel = "sms", template = "One", delayMinutes = 0, fallback = new { order = new[] { "sms", "email" }, maxAttempts = 1, cooldownMinutes = 0 } },
        ]));
        await ws.EnrollAsync(campaign, manual, optOut, complaint);

        (await ws.Http.PostAsJsonAsync("/api/v1/suppressions", new { contactId = manual, reason = "manual" }, Ct)).EnsureSuccessStatusCode();
        (await ws.PutConsentAsync(optOut, "sms", "opt_out")).EnsureSuccessStatusCode();
        (await ws.Http.PostAsJsonAsync("/api/v1/suppressions", new { contactId = complaint, reason = "complaint" }, Ct)).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++) await app.AdvanceAsync(10);

        Assert.Empty(await ws.OutboxAsync()); // no fallback to email either: they said no, the channel did not fail
        var enrollments = await ws.EnrollmentsAsync(campaign);
        Assert.Equal(("STOPPED", "suppressed_manual"), State(enrollments[manual]));
        Assert.Equal(("STOPPED", "consent_opt_out"), State(enrollments[optOut]));
        Assert.Equal(("DO_NOT_CONTACT", "suppressed_complaint"), State(enrollments[complaint]));
        foreach (var (contact, reason) in new[] { (manual, "suppressed"), (optOut, "consent_opt_out"), (complaint, "suppressed") })
        {
            var decision = enrollments[contact].GetProperty("lastDecision");
            Assert.False(decision.GetProperty("allowSend").GetBoolean());
            Assert.Equal(reason, decision.GetProperty("reasonCode").GetString());
            Assert.Equal(JsonValueKind.Null, enrollments[contact].GetProperty("nextActionAt").ValueKind);
        }
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Campaigns_without_their_own_cadence_use_the_active_strategy_and_a_rollback_changes_the_next_touch(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: MondayNine);
        var ws = await app.NewWorkspaceAsync();
        var v1 = await StrategyAsync(ws, 120);
        var v2 = await StrategyAsync(ws, 600);
        await ActivateAsync(ws, v1);
        await ActivateAsync(ws, v2);
        var early = await ws.ReachableContactAsync("Early", "+12125550171", Zone, null);
        var late = await ws.ReachableContactAsync("Late", "+12125550172", Zone, null);
        // No preset, no interval overrides, no delay on step 1: the cadence is the strategy's.
        var campaign = await ws.CreateCampaignAsync(Plan([
            new { channel = "sms", template = "One", delayMinutes = 0 },
            new { channel = "sms", template = "Two" },
        ], preset: null));

        await ws.EnrollAsync(campaign, early);
        await app.AdvanceAsync(1);  // early's first touch under v2: step 1 is due 600 minutes after it
        (await ws.Http.PostAsync("/api/v1/strategies/rollback", null, Ct)).EnsureSuccessStatusCode();
        await ws.EnrollAsync(campaign, late);
        await app.AdvanceAsync(1);  // late's first touch under v1 again: 120 minutes
        for (var i = 0; i < 62; i++) await app.AdvanceAsync(10);

        var outbox = await ws.OutboxAsync();
        var earlyGap = Gap(outbox, early);
        var lateGap = Gap(outbox, late);
        Assert.InRange(lateGap, TimeSpan.FromMinutes(120), TimeSpan.FromMinutes(131));
        Assert.InRange(earlyGap, TimeSpan.FromMinutes(600), TimeSpan.FromMinutes(611));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_expired_step_is_skipped_recorded_and_the_sequence_moves_on(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: MondayNine);
        var ws = await app.NewWorkspaceAsync();
        var contact = await ws.ReachableContactAsync("Exp", "+12125550181", Zone, null);
        var campaign = await ws.CreateCampaignAsync(Plan([
            new { channel = "sms", template = "Too late", delayMinutes = 0, expiresAfterMinutes = 30 },
            new { channel = "sms", template = "Still useful", delayMinutes = 60 },
        ]));
        await ws.EnrollAsync(campaign, contact);
        await ws.CampaignCommandAsync(campaign, "pause");
        await app.AdvanceAsync(45); // step 0 was due at enrollment and expired after 30 minutes while paused
        await ws.CampaignCommandAsync(campaign, "resume");
        await app.AdvanceAsync(1);
        Assert.Empty(await ws.OutboxAsync());
        for (var i = 0; i < 7; i++) await app.AdvanceAsync(10);

        var outbox = await ws.OutboxAsync();
        var only = Assert.Single(outbox);
        Assert.Equal((1, "Still useful"), (only.StepIndex, only.Body));
        var timeline = (await ws.GetJsonAsync($"/api/v1/contacts/{contact}/timeline")).ToString();
        Assert.Contains("CAMPAIGN_STEP_EXPIRED", timeline, StringComparison.Ordinal);
        Assert.DoesNotContain("Too late", timeline, StringComparison.Ordinal);
    }

    static (string?, string?) State(JsonElement e) => (e.GetProperty("state").GetString(), e.GetProperty("stoppedReason").GetString());

    static TimeSpan Gap(List<OutboxItem> outbox, Guid contact)
    {
        var touches = outbox.Where(o => o.ContactId == contact).OrderBy(o => o.SentAt).ToList();
        Assert.Equal([0, 1], touches.Select(t => t.StepIndex ?? -1));
        return touches[1].SentAt - touches[0].SentAt;
    }

    static async Task<Guid> StrategyAsync(WorkspaceClient ws, int defaultMinutes) =>
        (await (await ws.Http.PostAsJsonAsync("/api/v1/strategies", new { tone = "plain", intervalOverrides = new { defaultMinutes } }, Ct))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    static async Task ActivateAsync(WorkspaceClient ws, Guid id) =>
        await (await ws.Http.PostAsync($"/api/v1/strategies/{id}/activate", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
}
