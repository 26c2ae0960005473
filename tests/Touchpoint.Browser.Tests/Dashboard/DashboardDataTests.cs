using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Jobs;
using static Microsoft.Playwright.Assertions;

namespace Touchpoint.Browser.Tests.Dashboard;

/// <summary>
/// The director's numbers and the operations buttons against known rows. The workspace is in New York and the
/// clock at 11:00 local on 2026-03-09 (the day after the DST switch), so "today" is 04:00Z to 04:00Z next day:
/// rows at 03:xxZ belong to yesterday even though their UTC date is today.
/// </summary>
public sealed class DashboardDataTests(PostgresCluster pg, Chromium chromium)
{
    static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-09T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task The_director_counts_only_the_workspace_day(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-09T15:00:00Z");
        var ws = await app.NewWorkspaceAsync("America/New_York");
        var other = await app.NewWorkspaceAsync("America/New_York");
        var contact = await CreateContactAsync(ws);
        var otherContact = await CreateContactAsync(other);
        await SeedAsync(app, ws.Id, contact, today: true);
        await SeedAsync(app, ws.Id, contact, today: false);
        await SeedAsync(app, other.Id, otherContact, today: true); // never visible to ws

        var page = await chromium.NewPageAsync(app.Address);
        await DashboardSession.LogInAsync(page, ws.ApiKey);
        await page.GotoAsync("/");
        await Expect(page.Locator("#sends-total")).ToHaveTextAsync("2");
        await Expect(page.Locator("#replies")).ToHaveTextAsync("1");
        await Expect(page.Locator("#opt-outs")).ToHaveTextAsync("1");
        await Expect(page.Locator("#denials")).ToHaveTextAsync("1");
        await Expect(page.Locator("#dead-jobs")).ToHaveTextAsync("2");
        var charts = page.Locator("svg.bars");
        await Expect(page.Locator("main")).ToContainTextAsync("quiet_hours");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("frequency_cap"); // yesterday's denial
        await Expect(page.Locator("main")).ToContainTextAsync("30003");
        Assert.True(await charts.CountAsync() >= 3);
        await Screenshots.SaveAsync(page, $"{store}-director-with-data".ToLowerInvariant());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_dead_job_is_retried_from_the_operations_page(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-09T15:00:00Z");
        var ws = await app.NewWorkspaceAsync();
        var contact = await CreateContactAsync(ws);
        await SeedAsync(app, ws.Id, contact, today: true);

        var page = await chromium.NewPageAsync(app.Address);
        await DashboardSession.LogInAsync(page, ws.ApiKey);
        await page.GotoAsync("/operations");
        await Expect(page.Locator("#jobs")).ToContainTextAsync("boom");
        await Expect(page.Locator("#outbox")).ToContainTextAsync("Hello from the sandbox");
        await Expect(page.Locator("#messages")).ToContainTextAsync("failed");
        await Screenshots.SaveAsync(page, $"{store}-operations-with-data".ToLowerInvariant());
        await page.Locator("#jobs").GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Job re-queued.");

        // Advancing the manual clock runs due work before it returns: the re-driven heartbeat completes.
        var advanced = await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes = 1 }, TestContext.Current.CancellationToken);
        advanced.EnsureSuccessStatusCode();
        var jobs = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/jobs", TestContext.Current.CancellationToken);
        var job = jobs.EnumerateArray().Single(j => j.GetProperty("kind").GetString() == HeartbeatJob.Kind);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
    }

    static async Task<Guid> CreateContactAsync(WorkspaceClient ws)
    {
        var response = await ws.Http.PostAsJsonAsync("/api/v1/contacts",
            new { firstName = "Dee", channels = new[] { new { kind = "sms", value = "+14155550199" } } }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    /// <summary>Today: a sent and a failed sms, a reply, an opt-out, a quiet-hours denial, an allow, a dead heartbeat.
    /// Yesterday (03:30Z = 23:30 local): an email, a frequency-cap denial, a dead job of another kind.</summary>
    static async Task SeedAsync(TouchpointApp app, Guid workspaceId, Guid contactId, bool today)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        var at = today ? Now.AddHours(-1) : DateTimeOffset.Parse("2026-03-09T03:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
        OutboundMessage Message(Channel channel, MessageStatus status, string? error = null) => new()
        {
            WorkspaceId = workspaceId, ContactId = contactId, Channel = channel, Provider = "sandbox", Purpose = "marketing",
            Status = status, ErrorCode = error, IdempotencyKey = Guid.NewGuid().ToString(), ToAddress = "+14155550199",
            CreatedAt = at, UpdatedAt = at,
        };
        PolicyDecision Decision(bool allow, string reason) => new()
        {
            WorkspaceId = workspaceId, ContactId = contactId, Channel = Channel.Sms, AllowSend = allow, ReasonCode = reason,
            RuleTraceJson = """[{"Rule":"quiet_hours","Verdict":"deny","Detail":"21:00-08:00 local"}]""", EvaluatedAt = at, CreatedAt = at,
        };
        if (today)
        {
            db.OutboundMessages.AddRange(Message(Channel.Sms, MessageStatus.Sent), Message(Channel.Sms, MessageStatus.Failed, "30003"));
            db.PolicyDecisions.AddRange(Decision(false, "quiet_hours"), Decision(true, "allowed"));
            db.InboundMessages.Add(new InboundMessage
            {
                WorkspaceId = workspaceId, ContactId = contactId, Channel = Channel.Sms, FromAddress = "+14155550199", Body = "Yes please",
                ReceivedAt = at, CreatedAt = at, UpdatedAt = at,
            });
            db.ConsentRecords.Add(new ConsentRecord
            {
                WorkspaceId = workspaceId, ContactId = contactId, Channel = Channel.Email, Status = ConsentStatus.OptOut, Source = "keyword",
                CapturedAt = at, CreatedAt = at,
            });
            db.SandboxOutbox.Add(new SandboxOutboxItem
            {
                WorkspaceId = workspaceId, MessageId = Guid.NewGuid(), ContactId = contactId, Channel = Channel.Sms, To = "+14155550199",
                Body = "Hello from the sandbox", SentAt = at, CreatedAt = at,
            });
        }
        else
        {
            db.OutboundMessages.Add(Message(Channel.Email, MessageStatus.Delivered));
            db.PolicyDecisions.Add(Decision(false, "frequency_cap"));
        }
        db.ScheduledActions.Add(new ScheduledAction
        {
            WorkspaceId = workspaceId, Kind = today ? HeartbeatJob.Kind : "old.kind", Status = JobStatus.Dead, Attempts = 8,
            LastError = "boom", RunAt = at, IdempotencyKey = Guid.NewGuid().ToString(), CreatedAt = at, UpdatedAt = at,
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
