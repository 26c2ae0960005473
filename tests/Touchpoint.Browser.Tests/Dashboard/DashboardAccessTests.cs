using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Touchpoint.Browser.Tests.Dashboard;

/// <summary>Who may see what: sign-in, sign-out and the workspace boundary, through the browser.</summary>
public sealed class DashboardAccessTests(PostgresCluster pg, Chromium chromium)
{
    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_wrong_key_is_refused_and_logging_out_ends_the_session(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var page = await chromium.NewPageAsync(app.Address);

        await page.GotoAsync("/operations");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?ReturnUrl=%2Foperations"));
        await page.GetByLabel("Workspace API key").FillAsync("tp_not-a-real-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("apiKey");

        await page.GetByLabel("Workspace API key").FillAsync(ws.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Operations");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "touchpoint_dashboard");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(ws.ApiKey, cookie.Value, StringComparison.Ordinal);

        // A form post without the antiforgery token is refused even with a valid session.
        var noToken = page.Context.APIRequest.CreateFormData();
        noToken.Set("_handler", "new-contact");
        noToken.Set("Form.FirstName", "Forged");
        var refused = await page.APIRequest.PostAsync("/contacts", new() { Form = noToken, MaxRedirects = 0 });
        Assert.Equal(400, refused.Status);
        var contacts = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/contacts", TestContext.Current.CancellationToken);
        Assert.Equal(0, contacts.GetProperty("items").GetArrayLength());

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login$"));
        await page.GotoAsync("/contacts");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_operator_of_one_workspace_cannot_see_or_act_on_another(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var a = await app.NewWorkspaceAsync();
        var b = await app.NewWorkspaceAsync();
        var created = await b.Http.PostAsJsonAsync("/api/v1/contacts",
            new { firstName = "Bea", lastName = "Other", externalId = "b-secret", channels = new[] { new { kind = "email", value = "bea@b.example" } } },
            TestContext.Current.CancellationToken);
        var bContact = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();

        var page = await chromium.NewPageAsync(app.Address);
        await DashboardSession.LogInAsync(page, a.ApiKey);
        await page.GotoAsync("/contacts?q=bea");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Bea Other");
        await Expect(page.GetByText("No contacts match.")).ToBeVisibleAsync();

        await page.GotoAsync($"/contacts/{bContact}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Contact not found");

        // Forging the consent form for B's contact, with A's valid session and antiforgery token, changes nothing.
        await page.GotoAsync("/contacts");
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.GetAttributeAsync("value");
        var forged = await page.APIRequest.PostAsync($"/contacts/{bContact}", new()
        {
            Form = FormFor(token!),
            MaxRedirects = 0,
        });
        Assert.NotEqual(302, forged.Status);
        var consent = await b.Http.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{bContact}", TestContext.Current.CancellationToken);
        Assert.Equal(0, consent.GetProperty("consents").GetArrayLength());

        // The dashboard cookie is not an API credential.
        var apiResponse = await page.APIRequest.GetAsync("/api/v1/contacts");
        Assert.Equal(401, apiResponse.Status);

        IFormData FormFor(string antiforgery)
        {
            var form = page.Context.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", antiforgery);
            form.Set("_handler", "consent");
            form.Set("Form.Channel", "email");
            form.Set("Form.Status", "opt_in");
            form.Set("Form.Source", "forged");
            return form;
        }
    }
}
