using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Touchpoint.Browser.Tests.Dashboard;

/// <summary>
/// The operator's main path through the dashboard in headless Chromium: log in, create a contact, record consent,
/// create and activate a campaign, enroll, then read the director and operations pages. Each main page is
/// screenshotted. What the browser did is then checked through the public API, so the UI cannot fake it.
/// </summary>
public sealed class OperatorFlowTests(PostgresCluster pg, Chromium chromium)
{
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
        await page.Locator("textarea[name='Form.Steps[0].Template']").FillAsync("Hi {{ contact.first_name }}, spring offers are in.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(page.Locator("#campaign-status")).ToHaveTextAsync("draft");
        var campaignId = Guid.Parse(new Uri(page.Url).AbsolutePath.Split('/')[^1]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.Locator("#campaign-status")).ToHaveTextAsync("active");
        await page.Locator("input[name='Form.Tag']").FillAsync("spring");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enroll" }).ClickAsync();
        await Expect(page.Locator("#enroll-result")).ToContainTextAsync("Enrolled 1");
        await Expect(page.Locator("#enrollments")).ToContainTextAsync("NEW");
        await Screenshots.SaveAsync(page, $"{shots}-campaign");

        await page.GetByRole(AriaRole.Link, new() { Name = "Director" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Spring follow-up" })).ToBeVisibleAsync();
        await Expect(page.Locator("svg.bars").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, $"{shots}-director");

        await page.GetByRole(AriaRole.Link, new() { Name = "Operations" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sandbox outbox" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, $"{shots}-operations");

        // The API sees what the operator did in the browser.
        var contact = await ws.Http.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contactId}", TestContext.Current.CancellationToken);
        var consent = contact.GetProperty("consents").EnumerateArray().Single();
        Assert.Equal("sms", consent.GetProperty("channel").GetString());
        Assert.Equal("opt_in", consent.GetProperty("status").GetString());
        Assert.Equal("web_form", consent.GetProperty("source").GetString());
        var campaign = await ws.Http.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaignId}", TestContext.Current.CancellationToken);
        Assert.Equal("active", campaign.GetProperty("status").GetString());
        var enrollments = await ws.Http.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaignId}/enrollments", TestContext.Current.CancellationToken);
        Assert.Equal(contactId, enrollments.EnumerateArray().Single().GetProperty("contactId").GetGuid());
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
}
