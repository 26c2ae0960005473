namespace Touchpoint.Browser.Tests.Infrastructure;

/// <summary>Steps an operator takes in the dashboard, in the browser, the way a person would.</summary>
public static class DashboardSession
{
    public static async Task LogInAsync(IPage page, string apiKey)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Workspace API key").FillAsync(apiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Signed in once the redirect away from /login is committed (its response set the cookie). Not waiting for that
        // page's load event: on PostgreSQL in CI it has twice never fired within 120 s (cause not found, see the stop
        // notes); every test goes on to load the page it checks, which must then load in time.
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
    }

    /// <summary>Creates a contact through the form and returns its id from the contact page's address.</summary>
    public static async Task<Guid> CreateContactAsync(IPage page, string firstName, string lastName, string phone, string email, string tags)
    {
        await page.GotoAsync("/contacts");
        await page.Locator("input[name='Form.FirstName']").FillAsync(firstName);
        await page.Locator("input[name='Form.LastName']").FillAsync(lastName);
        await page.Locator("select[name='Form.Kind1']").SelectOptionAsync("sms");
        await page.Locator("input[name='Form.Value1']").FillAsync(phone);
        await page.Locator("select[name='Form.Kind2']").SelectOptionAsync("email");
        await page.Locator("input[name='Form.Value2']").FillAsync(email);
        await page.Locator("input[name='Form.Tags']").FillAsync(tags);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create contact" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("notice=contact-created", StringComparison.Ordinal));
        return Guid.Parse(new Uri(page.Url).AbsolutePath.Split('/')[^1]);
    }
}
