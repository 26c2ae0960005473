using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Touchpoint.Browser.Tests.Infrastructure;

/// <summary>Steps an operator takes in the dashboard, in the browser, the way a person would.</summary>
public static class DashboardSession
{
    // The address is polled, never waited for with WaitForURL: when the address already matches, WaitForURL waits for
    // the page's "load" event, and after a form POST answered by a redirect Playwright sometimes never receives that
    // event from Debian's Chromium (a dump of a hung run showed the server idle and only "networkidle" delivered) — that
    // was the 120 s timeout in sign-in and contact creation. Generous, as the 2-core CI machine is shared with the
    // integration tests.
    static readonly PageAssertionsToHaveURLOptions AfterFormPost = new() { Timeout = 60_000 };

    public static async Task LogInAsync(IPage page, string apiKey)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Workspace API key").FillAsync(apiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Signed in once the address has left /login (the redirect's response set the cookie).
        await Expect(page).Not.ToHaveURLAsync(new Regex("/login"), AfterFormPost);
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
        await Expect(page).ToHaveURLAsync(new Regex("notice=contact-created"), AfterFormPost);
        return Guid.Parse(new Uri(page.Url).AbsolutePath.Split('/')[^1]);
    }
}
