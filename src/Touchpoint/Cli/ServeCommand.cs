using Touchpoint.Data;
using Touchpoint.Hosting;

namespace Touchpoint.Cli;

static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, CancellationToken ct)
    {
        // --demo is ours, not a configuration key: fill the Demo workspace before listening.
        var demo = args.Contains(SeedDemoCommand.DemoFlag, StringComparer.Ordinal);
        args = [.. args.Where(a => a != SeedDemoCommand.DemoFlag)];
        await using var app = TouchpointWeb.Build(args);
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().PrepareAsync(ct);
            if (created is not null)
            {
                stdout.WriteLine($"Created the default workspace {created.Id} ({settings.Describe()}).");
                stdout.WriteLine($"Its API key, shown only this once: {created.ApiKey}");
            }
        }
        if (demo) await SeedDemoCommand.RunAsync(app.Services, null, stdout, ct);
        stdout.WriteLine($"Touchpoint is using {settings.Describe()}.");
        await app.RunAsync(ct);
        return 0;
    }
}
