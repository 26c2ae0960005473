namespace Touchpoint.Browser.Tests.Infrastructure;

/// <summary>
/// Full-page screenshots of the main pages, written under the test output directory
/// (<c>bin/Debug/net10.0/artifacts/screenshots/</c>) and attached to the test result.
/// </summary>
public static class Screenshots
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public static async Task SaveAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        await File.WriteAllBytesAsync(Path.Combine(Directory, name + ".png"), bytes, TestContext.Current.CancellationToken);
        TestContext.Current.AddAttachment(name + ".png", bytes, "image/png");
    }
}
