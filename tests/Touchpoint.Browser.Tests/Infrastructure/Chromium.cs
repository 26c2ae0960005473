[assembly: AssemblyFixture(typeof(Touchpoint.Browser.Tests.Infrastructure.Chromium))]

namespace Touchpoint.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the run: Debian's <c>/usr/bin/chromium</c> (or <c>TOUCHPOINT_CHROMIUM</c>), because
/// Playwright cannot download its own browsers here. A missing browser fails every test with what to install.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    const string DefaultPath = "/usr/bin/chromium";
    IPlaywright? playwright;
    IBrowser? browser;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("Chromium did not start.");

    public async ValueTask InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable("TOUCHPOINT_CHROMIUM") is { Length: > 0 } custom ? custom : DefaultPath;
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {path} but it is not there. Install it with `apt-get install -y chromium` " +
                "(.ci/run does this) or set TOUCHPOINT_CHROMIUM to a Chromium executable.");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (own cookies) per test, so sessions never leak between tests.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        // Generous: on a 2-core CI machine the browser tests share the CPU with the integration test project, and a
        // sign-in round trip has been seen to take longer than 15 s there. Assertions keep their own short timeout.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
    }
}
