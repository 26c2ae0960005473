using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Hosting;

namespace Touchpoint.Cli;

/// <summary>
/// `serve --no-workers | --workers N` and `touchpoint worker`: API and queue workers may run in one process or
/// apart. Both translate to <c>Touchpoint:Scheduler:Workers</c>; `worker` also sets <c>Touchpoint:Role=worker</c>,
/// which maps only the health endpoints.
/// </summary>
static class WorkerCommand
{
    const string RoleKey = "Touchpoint:Role";
    const string WorkersKey = "Touchpoint:Scheduler:Workers";

    public static bool IsWorkerOnly(IConfiguration config) =>
        string.Equals(config[RoleKey], "worker", StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds the worker flags to `serve`; the returned function turns them into configuration overrides.</summary>
    public static Func<ParseResult, string[]> AddServeFlags(Command serve)
    {
        var none = new Option<bool>("--no-workers") { Description = "Serve without queue workers (another process runs them)." };
        var count = WorkersOption();
        serve.Options.Add(none);
        serve.Options.Add(count);
        return r => r.GetValue(none) ? [$"--{WorkersKey}=0"]
            : r.GetValue(count) is { } n ? [$"--{WorkersKey}={n}"] : [];
    }

    public static Command Worker(TextWriter stdout, TextWriter stderr)
    {
        var count = WorkersOption();
        var command = new Command("worker", "Run only the queue workers (health endpoints, no API).") { TreatUnmatchedTokensAsErrors = false };
        command.Options.Add(count);
        command.SetAction(async (r, ct) =>
        {
            string[] args = [.. r.UnmatchedTokens, $"--{RoleKey}=worker", .. r.GetValue(count) is { } n ? [$"--{WorkersKey}={n}"] : Array.Empty<string>()];
            await using var app = TouchpointWeb.Build(args);
            if (app.Configuration.GetValue<int?>(WorkersKey) is 0)
                return TouchpointCli.Fail(stderr, $"{WorkersKey} is 0; a worker process needs at least one worker.", 2);
            var settings = app.Services.GetRequiredService<DatabaseSettings>();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                // Workers never migrate or seed: that is `serve`'s or `migrate`'s job.
                var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
                if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
                    return TouchpointCli.Fail(stderr, $"{settings.Describe()} has pending migrations; run `touchpoint migrate` first.", 2);
            }
            stdout.WriteLine($"Touchpoint worker is using {settings.Describe()}.");
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }

    static Option<int?> WorkersOption() =>
        new("--workers") { Description = "Queue worker loops in this process (default Touchpoint:Scheduler:Workers = 1)." };
}
