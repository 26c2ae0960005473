using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Commands;

public sealed class CommandApiTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task System_status_counts_the_workspaces_dead_jobs_denials_and_webhook_failures_of_today(Store store)
    {
        // No workers: the test's jobs must stay exactly as inserted.
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-09T15:00Z",
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" });
        var ws = await app.NewWorkspaceAsync();
        var other = await app.NewWorkspaceAsync();
        var contact = await ws.CreateContactAsync(phone: "+14155550123");
        var now = DateTimeOffset.Parse("2026-03-09T15:00Z", System.Globalization.CultureInfo.InvariantCulture);
        await app.DbAsync(async db =>
        {
            db.ScheduledActions.Add(new ScheduledAction { WorkspaceId = ws.Id, Kind = "test", IdempotencyKey = "dead-1", Status = JobStatus.Dead, RunAt = now, CreatedAt = now, UpdatedAt = now });
            db.ScheduledActions.Add(new ScheduledAction { WorkspaceId = ws.Id, Kind = "test", IdempotencyKey = "due-1", RunAt = now.AddMinutes(-30), CreatedAt = now, UpdatedAt = now });
            db.ScheduledActions.Add(new ScheduledAction { WorkspaceId = other.Id, Kind = "test", IdempotencyKey = "dead-2", Status = JobStatus.Dead, RunAt = now, CreatedAt = now, UpdatedAt = now });
            db.PolicyDecisions.Add(new PolicyDecision { WorkspaceId = ws.Id, ContactId = contact, Channel = Channel.Sms, ReasonCode = "consent_opt_out", EvaluatedAt = now, CreatedAt = now });
            db.PolicyDecisions.Add(new PolicyDecision { WorkspaceId = ws.Id, ContactId = contact, Channel = Channel.Sms, ReasonCode = "consent_opt_out", EvaluatedAt = now.AddDays(-1), CreatedAt = now });
            return await db.SaveChangesAsync(Ct);
        });
        // No secrets configured: the signature is refused, which is a webhook failure of today.
        await app.Anonymous.PostAsync($"/webhooks/http/{ws.Id}", new StringContent("{}"), Ct);

        var status = await ws.CommandAsync("¿Estado del sistema?");

        Assert.Equal("completed", status.Status());
        Assert.Equal("system.status", status.GetProperty("intent").GetString());
        Assert.Equal("offline", status.GetProperty("resolvedBy").GetString());
        var result = status.GetProperty("result");
        Assert.Equal(1, result.GetProperty("queue").GetProperty("dead").GetInt32());
        Assert.Equal(1, result.GetProperty("queue").GetProperty("due").GetInt32());
        Assert.Equal(1800, result.GetProperty("queue").GetProperty("oldestDueAgeSeconds").GetDouble());
        Assert.Equal(1, result.GetProperty("denialsToday").GetInt32());
        Assert.Equal(1, result.GetProperty("denialsTodayByReason").GetProperty("consent_opt_out").GetInt32());
        Assert.Equal(1, result.GetProperty("webhookFailuresByOutcome").GetProperty("rejected_signature").GetInt32());
        Assert.Equal(DateTimeOffset.Parse("2026-03-09T04:00Z", System.Globalization.CultureInfo.InvariantCulture), result.GetProperty("todayStartsAt").GetDateTimeOffset());
        Assert.Contains(result.GetProperty("schedules").EnumerateArray(), s => s.GetProperty("name").GetString() == "heartbeat");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Lead_inspect_finds_a_contact_by_phone_external_id_email_or_id_with_its_last_decisions(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var id = await ws.CreateContactAsync(phone: "+14155550100", email: "Ana@Example.com", externalId: "ext-42");
        await (await ws.PutConsentAsync(id, "sms", "opt_out")).ReadJsonAsync(HttpStatusCode.OK);
        await (await ws.Http.PostAsJsonAsync("/api/v1/policy/evaluate", new { contactId = id, channel = "sms" }, Ct)).ReadJsonAsync(HttpStatusCode.OK);

        foreach (var text in new[] { "inspect lead +14155550100", "show contact ext-42", "ver contacto ana@example.com", $"lead.inspect contactId={id}", "inspect lead (415) 555-0100" })
        {
            var run = await ws.CommandAsync(text);
            Assert.True(run.Status() == "completed", $"{text}: {run}");
            Assert.Equal("lead.inspect", run.GetProperty("intent").GetString());
            Assert.Equal(id, run.GetProperty("result").GetProperty("contact").GetProperty("id").GetGuid());
            Assert.Equal(id.ToString(), run.GetProperty("arguments").GetProperty("contactId").GetString());
        }
        var inspected = (await ws.CommandAsync("show contact ext-42")).GetProperty("result");
        Assert.Equal("opt_out", Assert.Single(inspected.GetProperty("contact").GetProperty("consents").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(2, inspected.GetProperty("contact").GetProperty("channels").GetArrayLength());

        var missing = await ws.CommandAsync("show contact ext-99");
        Assert.Equal("failed", missing.Status());
        Assert.Contains("ext-99", missing.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Enrolling_asks_for_confirmation_and_runs_once_with_the_token(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await ws.CreateContactAsync(phone: "+14155550100", externalId: "ext-42");
        var campaign = await ws.CampaignAsync("Spring Promo");

        var asked = await ws.CommandAsync("enroll ext-42 in spring promo");
        Assert.Equal("needs_confirmation", asked.Status());
        Assert.Equal("lead.enroll", asked.GetProperty("intent").GetString());
        Assert.Equal(campaign.ToString(), asked.GetProperty("arguments").GetProperty("campaignId").GetString());
        Assert.Equal(contact.ToString(), asked.GetProperty("arguments").GetProperty("contactId").GetString());
        Assert.Contains("Spring Promo", asked.GetProperty("message").GetString(), StringComparison.Ordinal);
        var token = asked.GetProperty("confirmToken").GetString()!;
        Assert.Equal(0, (await ws.GetJsonAsync($"/api/v1/campaigns/{campaign}/enrollments")).GetArrayLength());

        var done = await (await ws.ConfirmAsync(token)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("completed", done.Status());
        Assert.Equal(asked.GetProperty("id").GetGuid(), done.GetProperty("id").GetGuid());
        Assert.Equal(1, done.GetProperty("result").GetProperty("enrolled").GetInt32());
        Assert.Equal(contact, Assert.Single((await ws.GetJsonAsync($"/api/v1/campaigns/{campaign}/enrollments")).EnumerateArray()).GetProperty("contactId").GetGuid());

        var again = await ProblemAssert.IsProblemAsync(await ws.ConfirmAsync(token), HttpStatusCode.Conflict);
        Assert.Contains("already used", again.GetProperty("detail").GetString(), StringComparison.Ordinal);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(await ws.ConfirmAsync("cfm_not-a-token"), HttpStatusCode.BadRequest), "confirm");

        var history = await ws.GetJsonAsync("/api/v1/commands");
        var run = Assert.Single(history.EnumerateArray());
        Assert.Equal("completed", run.Status());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("confirmToken").ValueKind);
        Assert.DoesNotContain(token, history.GetRawText(), StringComparison.Ordinal);

        var audit = await ws.GetJsonAsync("/api/v1/audit");
        var entry = Assert.Single(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "command.executed");
        Assert.StartsWith(ws.ApiKey[..10], entry.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ws.ApiKey, audit.GetRawText(), StringComparison.Ordinal);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Pause_and_resume_go_through_confirmation_and_illegal_changes_are_refused_before_asking(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var campaign = await ws.CampaignAsync("Promoción Primavera", activate: true);

        var pause = await ws.CommandAsync("pausa la campaña promocion primavera");
        Assert.Equal("needs_confirmation", pause.Status());
        Assert.Equal("active", (await ws.GetJsonAsync($"/api/v1/campaigns/{campaign}")).GetProperty("status").GetString());
        var paused = await (await ws.ConfirmAsync(pause.GetProperty("confirmToken").GetString()!)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("completed", paused.Status());
        Assert.Equal("paused", (await ws.GetJsonAsync($"/api/v1/campaigns/{campaign}")).GetProperty("status").GetString());

        var twice = await ws.CommandAsync("pause campaign Promoción Primavera");
        Assert.Equal("failed", twice.Status());
        Assert.Equal(JsonValueKind.Null, twice.GetProperty("confirmToken").ValueKind);

        var resume = await ws.CommandAsync($"campaign.resume campaign={campaign}");
        Assert.Equal(1.0, resume.GetProperty("confidence").GetDouble());
        await (await ws.ConfirmAsync(resume.GetProperty("confirmToken").GetString()!)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", (await ws.GetJsonAsync($"/api/v1/campaigns/{campaign}")).GetProperty("status").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Campaign_stats_show_the_funnel_without_confirmation(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var campaign = await ws.CampaignAsync("Spring Promo");
        var a = await ws.CreateContactAsync(phone: "+14155550101");
        var b = await ws.CreateContactAsync(phone: "+14155550102");
        await (await ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/enrollments", new { contactIds = new[] { a, b } }, Ct)).ReadJsonAsync(HttpStatusCode.OK);

        var stats = await ws.CommandAsync("stats for campaign Spring Promo");
        Assert.Equal("completed", stats.Status());
        Assert.Equal(2, stats.GetProperty("result").GetProperty("enrollments").GetInt32());
        Assert.Equal(2, stats.GetProperty("result").GetProperty("enrollmentsByState").GetProperty("NEW").GetInt32());
        Assert.Equal(0, stats.GetProperty("result").GetProperty("enrollmentsByState").GetProperty("BOOKED").GetInt32());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Unknown_text_is_recorded_and_answered_with_what_commands_can_do(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();

        var run = await ws.CommandAsync("make me a sandwich");

        Assert.Equal("not_understood", run.Status());
        Assert.Equal(0, run.GetProperty("confidence").GetDouble());
        var intents = run.GetProperty("capabilities").EnumerateArray().Select(c => c.GetProperty("intent").GetString()).ToList();
        Assert.Equal(["system.status", "lead.inspect", "lead.enroll", "campaign.pause", "campaign.resume", "campaign.stats"], intents);
        var history = Assert.Single((await ws.GetJsonAsync("/api/v1/commands")).EnumerateArray());
        Assert.Equal("make me a sandwich", history.GetProperty("text").GetString());
        Assert.Equal("not_understood", history.Status());

        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(
            await ws.Http.PostAsJsonAsync("/api/v1/commands", new { text = " " }, Ct), HttpStatusCode.BadRequest), "text");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_workspace_cannot_see_confirm_or_target_another_workspaces_commands_leads_or_campaigns(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var a = await app.NewWorkspaceAsync();
        var b = await app.NewWorkspaceAsync();
        var contact = await a.CreateContactAsync(phone: "+14155550100", externalId: "ext-42");
        var campaign = await a.CampaignAsync("Spring Promo", activate: true);
        var asked = await a.CommandAsync("pause campaign Spring Promo");

        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(
            await b.ConfirmAsync(asked.GetProperty("confirmToken").GetString()!), HttpStatusCode.BadRequest), "confirm");
        Assert.Equal("failed", (await b.CommandAsync("show contact ext-42")).Status());
        Assert.Equal("failed", (await b.CommandAsync($"lead.inspect contactId={contact}")).Status());
        Assert.Equal("failed", (await b.CommandAsync($"campaign.pause campaign={campaign}")).Status());
        Assert.Equal("failed", (await b.CommandAsync("stats for campaign Spring Promo")).Status());
        Assert.Equal(4, (await b.GetJsonAsync("/api/v1/commands")).GetArrayLength());
        Assert.Single((await a.GetJsonAsync("/api/v1/commands")).EnumerateArray());
        Assert.Equal("active", (await a.GetJsonAsync($"/api/v1/campaigns/{campaign}")).GetProperty("status").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_confirmation_older_than_ten_minutes_has_expired(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-09T15:00Z");
        var ws = await app.NewWorkspaceAsync();
        await ws.CampaignAsync("Spring Promo", activate: true);
        var asked = await ws.CommandAsync("pause campaign Spring Promo");
        await (await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes = 11 }, Ct)).ReadJsonAsync(HttpStatusCode.OK);

        var expired = await ProblemAssert.IsProblemAsync(await ws.ConfirmAsync(asked.GetProperty("confirmToken").GetString()!), HttpStatusCode.Conflict);
        Assert.Contains("expired", expired.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("expired", Assert.Single((await ws.GetJsonAsync("/api/v1/commands")).EnumerateArray()).Status());
    }
}
