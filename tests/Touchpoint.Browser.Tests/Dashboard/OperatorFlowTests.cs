using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using static Microsoft.Playwright.Assertions;

namespace Touchpoint.Browser.Tests.Dashboard;

/// <summary>
/// The operator's main path through the dashboard in headless Chromium: log in, create a contact, record consent,
/// create and activate a campaign, enroll and simulate it, advance the manual clock and find the sandbox message
/// and its decision trace, move the contact's conversation on the kanban board and answer it, pause the campaign
/// through the command box (with its confirmation step), and visit every main page. Each main page is
/// screenshotted. What the browser did is then checked through the public API, so the UI cannot fake it.
/// </summary>
public sealed class OperatorFlowTests(PostgresCluster pg, Chromium chromium)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_operator_sets_up_outreach_from_the_dashboard(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-09T15:00:00Z");
        var ws = await app.NewWorkspaceAsync();
        var page = await chromium.NewPageAsync(app.Address);
        var shots = $"{store}".ToLowerInvariant();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await Screenshots.SaveAsync(page, $"{shots}-login");
        await DashboardSession.LogInAsync(page, ws.ApiKey);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Director");

        var contactId = await DashboardSession.CreateContactAsync(page, "Ana", "Lopez", "+1 415 555 0123", "Ana@Example.com", "spring");
        await Expect(page.Locator("#channels")).ToContainTextAsync("+14155550123");
        await Expect(page.Locator("#channels")).ToContainTextAsync("ana@example.com");

        await page.Locator("#consent-channel").SelectOptionAsync("sms");
        await page.Locator("#consent-status").SelectOptionAsync("opt_in");
        await page.Locator("input[name='Form.Source']").FillAsync("web_form");
        await page.Locator("textarea[name='Form.Evidence']").FillAsync("Checked 'Text me offers' at signup");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record consent" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Consent recorded.");
        await Expect(page.Locator("#consents")).ToContainTextAsync("opt_in");
        await page.Locator("details.history summary").First.ClickAsync();
        await Expect(page.Locator("dl.evidence").First).ToContainTextAsync("Text me offers");
        await Screenshots.SaveAsync(page, $"{shots}-contact");

        await page.GotoAsync("/campaigns");
        await page.Locator("input[name='Form.Name']").FillAsync("Spring follow-up");
        await page.Locator("select[name='Form.Steps[0].Channel']").SelectOptionAsync("sms");
        await page.Locator("input[name='Form.Steps[0].DelayMinutes']").FillAsync("0");
        await page.Locator("textarea[name='Form.Steps[0].Template']").FillAsync("Hi {{ contact.firstName }}, spring offers are in.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(page.Locator("#campaign-status")).ToHaveTextAsync("draft");
        var campaignId = Guid.Parse(new Uri(page.Url).AbsolutePath.Split('/')[^1]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.Locator("#campaign-status")).ToHaveTextAsync("active");
        await page.Locator("input[name='Form.Tag']").FillAsync("spring");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enroll" }).ClickAsync();
        await Expect(page.Locator("#enroll-result")).ToContainTextAsync("Enrolled 1");
        await Expect(page.Locator("#enrollments")).ToContainTextAsync("NEW");

        await page.Locator("#simulation").GetByRole(AriaRole.Button, new() { Name = "Simulate" }).ClickAsync();
        await Expect(page.Locator("#simulation-summary")).ToContainTextAsync("1 enrolled contact(s)");
        await Expect(page.Locator("#simulation svg.days rect").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, $"{shots}-campaign");

        // The manual clock moves a minute: the due first touch runs through the policy engine to the sandbox.
        var advanced = await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes = 1 }, Ct);
        advanced.EnsureSuccessStatusCode();
        await page.GetByRole(AriaRole.Link, new() { Name = "Operations" }).ClickAsync();
        await Expect(page.Locator("#outbox")).ToContainTextAsync("Hi Ana, spring offers are in.");
        await Screenshots.SaveAsync(page, $"{shots}-operations");
        await page.GotoAsync($"/contacts/{contactId}");
        var decision = page.Locator("details.decision").First;
        await Expect(decision.Locator("summary")).ToContainTextAsync("allow");
        await decision.Locator("summary").ClickAsync();
        await Expect(decision.Locator("tbody tr").First).ToBeVisibleAsync();
        await Expect(decision.Locator("tbody")).ToContainTextAsync("consent");
        await Screenshots.SaveAsync(page, $"{shots}-contact-decision");

        await page.GetByRole(AriaRole.Link, new() { Name = "Director" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Spring follow-up" })).ToBeVisibleAsync();
        await Expect(page.Locator("#sends-total")).ToHaveTextAsync("1");
        await Screenshots.SaveAsync(page, $"{shots}-director");

        // Ana answers: her conversation opens on the default board's AI column; the operator moves it to the humans.
        var inbound = await ws.Http.PostAsJsonAsync("/api/v1/sandbox/inbound",
            new { channel = "sms", from = "+14155550123", body = "Sounds good, can someone call me?" }, Ct);
        inbound.EnsureSuccessStatusCode();
        await page.GetByRole(AriaRole.Link, new() { Name = "Kanban" }).ClickAsync();
        var newColumn = page.Locator(".kanban .column[data-column='New']");
        await Expect(newColumn.Locator(".badge.mode-ai")).ToHaveTextAsync("AI");
        var card = newColumn.Locator("article.kcard[data-card='Ana Lopez']");
        await Expect(card).ToContainTextAsync("spring");
        await card.Locator("select[name='ColumnId']").SelectOptionAsync(new SelectOptionValue { Label = "Human" });
        await card.GetByRole(AriaRole.Button, new() { Name = "Move" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Card moved.");
        var humanColumn = page.Locator(".kanban .column[data-column='Human']");
        await Expect(humanColumn.Locator(".badge.mode-human")).ToHaveTextAsync("HUMAN");
        await Expect(humanColumn.Locator("article.kcard[data-card='Ana Lopez']")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, $"{shots}-kanban");

        // Open it and answer as a human: within 24 h of her message it is a transactional reply, allowed by policy.
        await humanColumn.GetByRole(AriaRole.Link, new() { Name = "Ana Lopez" }).ClickAsync();
        await Expect(page.Locator("#conversation-column")).ToHaveTextAsync("Human");
        await page.Locator("#reply-body").FillAsync("Of course, Ana: I will call you at 3 pm.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(page.Locator("#send-result")).ToContainTextAsync("Sent as transactional_reply");
        await Expect(page.Locator("#messages")).ToContainTextAsync("I will call you at 3 pm.");
        await Screenshots.SaveAsync(page, $"{shots}-conversation");

        // The command box in the header: a destructive intent asks for confirmation before it runs.
        var box = page.GetByLabel("Command box");
        await box.FillAsync("pause campaign Spring follow-up");
        await box.PressAsync("Enter");
        await Expect(page.Locator("#command-status")).ToHaveTextAsync("needs_confirmation");
        await Expect(page.Locator("#command-result")).ToContainTextAsync("campaign.pause");
        await page.Locator("#confirm-form").GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.Locator("#command-status")).ToHaveTextAsync("completed");
        await Expect(page.Locator("#command-history")).ToContainTextAsync("pause campaign Spring follow-up");
        await Screenshots.SaveAsync(page, $"{shots}-commands");

        await page.GetByRole(AriaRole.Link, new() { Name = "Providers" }).ClickAsync();
        await Expect(page.Locator("#providers")).ToContainTextAsync("sandbox");
        await Screenshots.SaveAsync(page, $"{shots}-providers");
        await page.GetByRole(AriaRole.Link, new() { Name = "Reviews" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Reviews");
        await Screenshots.SaveAsync(page, $"{shots}-reviews");

        // The API sees what the operator did in the browser.
        var contact = await ws.Http.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contactId}", Ct);
        var consent = contact.GetProperty("consents").EnumerateArray().Single();
        Assert.Equal("sms", consent.GetProperty("channel").GetString());
        Assert.Equal("opt_in", consent.GetProperty("status").GetString());
        Assert.Equal("web_form", consent.GetProperty("source").GetString());
        var campaign = await ws.Http.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaignId}", Ct);
        Assert.Equal("paused", campaign.GetProperty("status").GetString());
        var enrollments = await ws.Http.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaignId}/enrollments", Ct);
        Assert.Equal(contactId, enrollments.EnumerateArray().Single().GetProperty("contactId").GetGuid());
        var outbox = await ws.Http.GetFromJsonAsync<JsonElement>($"/api/v1/sandbox/outbox?contactId={contactId}", Ct);
        var bodies = outbox.EnumerateArray().Select(o => o.GetProperty("body").GetString()).ToList();
        Assert.Contains("Hi Ana, spring offers are in.", bodies); // the campaign's touch
        Assert.Contains("Of course, Ana: I will call you at 3 pm.", bodies); // the human reply (the AI may have answered too)
        var boards = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/boards", Ct);
        var human = boards.GetProperty("boards")[0].GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Human");
        var conversations = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/conversations", Ct);
        Assert.Equal(human.GetProperty("id").GetGuid(), conversations.GetProperty("conversations")[0].GetProperty("columnId").GetGuid());

        // Every state change made in the dashboard is in the audit log, attributed to the key like an API call.
        var audit = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=100", Ct);
        var actions = audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        foreach (var action in new[] { "campaign.status_changed", "campaign.enrolled", "conversation.moved", "conversation.replied", "command.run", "command.executed" })
            Assert.Contains(action, actions);
        Assert.All(audit.EnumerateArray(), a => Assert.Contains("(default)", a.GetProperty("actor").GetString(), StringComparison.Ordinal));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Form_errors_name_the_field_like_the_api_does(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var page = await chromium.NewPageAsync(app.Address);
        await DashboardSession.LogInAsync(page, ws.ApiKey);

        await page.GotoAsync("/contacts");
        await page.Locator("input[name='Form.Value1']").FillAsync("12");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create contact" }).ClickAsync();
        await Expect(page.Locator("ul.errors")).ToContainTextAsync("channels[0].value");

        await page.GotoAsync("/campaigns");
        await page.Locator("input[name='Form.QuietStart']").FillAsync("25:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        var errors = page.Locator("ul.errors");
        await Expect(errors).ToContainTextAsync("policy.quietHours.start");
        await Expect(errors).ToContainTextAsync("name");
        await Expect(errors).ToContainTextAsync("steps");

        var list = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/campaigns", TestContext.Current.CancellationToken);
        Assert.Equal(0, list.GetArrayLength());
    }

    /// <summary>A form whose save loses a write race (played by an interceptor) says so on a page of its own, stores
    /// nothing, and leads back to the form, where the retry is saved.</summary>
    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_form_that_loses_a_write_race_says_so_and_its_retry_is_saved(Store store)
    {
        var race = new FirstConsentSaveLoses();
        await using var app = await TouchpointApp.StartAsync(store, pg,
            configure: b => b.Services.ConfigureDbContext<TouchpointDb>(o => o.AddInterceptors(race)));
        var ws = await app.NewWorkspaceAsync();
        var page = await chromium.NewPageAsync(app.Address);
        await DashboardSession.LogInAsync(page, ws.ApiKey);
        var contactId = await DashboardSession.CreateContactAsync(page, "Ana", "Lopez", "+1 415 555 0123", "ana@example.com", "spring");

        async Task RecordConsentAsync()
        {
            await page.Locator("#consent-channel").SelectOptionAsync("sms");
            await page.Locator("#consent-status").SelectOptionAsync("opt_in");
            await page.Locator("input[name='Form.Source']").FillAsync("web_form");
            await page.GetByRole(AriaRole.Button, new() { Name = "Record consent" }).ClickAsync();
        }
        await RecordConsentAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Changed meanwhile");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("nothing of your change was saved");
        Assert.Equal(0, await ConsentRecordsAsync(app, contactId));

        await page.GetByRole(AriaRole.Link, new() { Name = "Back" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/contacts/{contactId}"));
        await RecordConsentAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Consent recorded.");
        Assert.Equal(1, await ConsentRecordsAsync(app, contactId));
    }

    static async Task<int> ConsentRecordsAsync(TouchpointApp app, Guid contactId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TouchpointDb>().ConsentRecords.IgnoreQueryFilters().CountAsync(c => c.ContactId == contactId, Ct);
    }

    /// <summary>The first save that adds a consent record fails as if another writer had changed a row it read.</summary>
    sealed class FirstConsentSaveLoses : SaveChangesInterceptor
    {
        int saves;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (eventData.Context!.ChangeTracker.Entries<ConsentRecord>().Any(e => e.State == EntityState.Added) && Interlocked.Increment(ref saves) == 1)
                throw new DbUpdateConcurrencyException("another writer changed a row this save read");
            return ValueTask.FromResult(result);
        }
    }
}
