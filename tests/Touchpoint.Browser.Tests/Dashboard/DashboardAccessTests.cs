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

        // B's campaign and conversation (B's contact wrote in) are as invisible and untouchable as B's contact.
        var campaign = await b.Http.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "B secret campaign",
            policy = new { maxTouchesPerDay = 1, maxTouchesPerWeek = 3, allowedChannels = new[] { "email" }, preset = "BALANCED" },
            steps = new[] { new { channel = "email", template = "Hello", delayMinutes = 0 } },
        }, TestContext.Current.CancellationToken);
        campaign.EnsureSuccessStatusCode();
        var bCampaign = (await campaign.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        (await b.Http.PostAsJsonAsync("/api/v1/sandbox/inbound", new { channel = "email", from = "bea@b.example", body = "Hi from B" },
            TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var bConversations = await b.Http.GetFromJsonAsync<JsonElement>("/api/v1/conversations", TestContext.Current.CancellationToken);
        var bConversation = bConversations.GetProperty("conversations")[0];
        var bConversationId = bConversation.GetProperty("id").GetGuid();
        var bColumn = bConversation.GetProperty("columnId").GetGuid();

        await page.GotoAsync($"/campaigns/{bCampaign}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Campaign not found");
        await page.GotoAsync($"/conversations/{bConversationId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Conversation not found");
        await page.GotoAsync("/kanban");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Bea Other");
        await page.GotoAsync("/campaigns");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("B secret campaign");

        // Forged posts with A's session and token: B's campaign stays a draft, B's card stays put, nothing is sent.
        var activate = page.Context.APIRequest.CreateFormData();
        activate.Set("__RequestVerificationToken", token!);
        activate.Set("_handler", "status-activate");
        Assert.NotEqual(302, (await page.APIRequest.PostAsync($"/campaigns/{bCampaign}", new() { Form = activate, MaxRedirects = 0 })).Status);
        foreach (var (handler, field, value) in new[] { ("move", "ColumnId", bColumn.ToString()), ("reply", "ReplyBody", "forged reply"), ("claim", "x", "y") })
        {
            var form = page.Context.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", token!);
            form.Set("_handler", handler);
            form.Set(field, value);
            Assert.NotEqual(302, (await page.APIRequest.PostAsync($"/conversations/{bConversationId}", new() { Form = form, MaxRedirects = 0 })).Status);
        }
        var stillDraft = await b.Http.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{bCampaign}", TestContext.Current.CancellationToken);
        Assert.Equal("draft", stillDraft.GetProperty("status").GetString());
        var after = await b.Http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{bConversationId}", TestContext.Current.CancellationToken);
        Assert.Equal(bColumn, after.GetProperty("conversation").GetProperty("columnId").GetGuid());
        Assert.True(after.GetProperty("conversation").GetProperty("claimedBy").ValueKind == JsonValueKind.Null);
        Assert.DoesNotContain(after.GetProperty("messages").EnumerateArray(), m => m.GetProperty("content").GetString() == "forged reply");
        var aAudit = await a.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit", TestContext.Current.CancellationToken);
        Assert.Equal(0, aAudit.GetArrayLength());

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
