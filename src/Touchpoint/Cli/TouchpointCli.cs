using System.CommandLine;
using Microsoft.Data.Sqlite;
using Npgsql;
using Touchpoint.Hosting;

namespace Touchpoint.Cli;

/// <summary>
/// The `touchpoint` command line. Every verb runs on the same configuration as the server (appsettings,
/// environment variables, `--Key=value` overrides); failures print one line and exit non-zero.
/// </summary>
public static class TouchpointCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        var root = new RootCommand("Touchpoint: multi-channel outreach orchestrator. With no command it serves the API, webhooks and dashboard.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var serve = new Command("serve", "Serve the API, webhooks, workers and dashboard (the default).") { TreatUnmatchedTokensAsErrors = false };
        var workerFlags = WorkerCommand.AddServeFlags(serve);
        serve.SetAction((r, token) => ServeCommand.RunAsync([.. r.UnmatchedTokens, .. workerFlags(r)], stdout, token));
        root.SetAction((r, token) => r.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) is { } unknown
            ? Task.FromResult(Fail(stderr, $"unknown command '{unknown}'; see `touchpoint --help`.", 2))
            : ServeCommand.RunAsync([.. r.UnmatchedTokens], stdout, token));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(DatabaseCommands.Migrate(stdout));
        root.Subcommands.Add(DatabaseCommands.Db(stdout, stderr));
        root.Subcommands.Add(WorkspaceCommands.Workspace(stdout));
        root.Subcommands.Add(WorkerCommand.Worker(stdout, stderr));
        root.Subcommands.Add(ImportCommands.Import(stdout));
        root.Subcommands.Add(SimulateCommand.Simulate(stdout));
        root.Subcommands.Add(SeedDemoCommand.SeedDemo(stdout));

        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            }, ct);
        }
        catch (ConfigurationException e)
        {
            return Fail(stderr, e.Message, 2);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            return Fail(stderr, string.Join(" ", e.Failures), 2);
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or TimeoutException)
        {
            return Fail(stderr, $"cannot use the database: {FirstLine(e.Message)}", 1);
        }
        catch (Exception e) when (e.InnerException is NpgsqlException or SqliteException)
        {
            return Fail(stderr, $"cannot use the database: {FirstLine(e.InnerException!.Message)}", 1);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 130;
        }
    }

    public static int Fail(TextWriter stderr, string message, int code)
    {
        stderr.WriteLine($"touchpoint: {message}");
        return code;
    }

    static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
