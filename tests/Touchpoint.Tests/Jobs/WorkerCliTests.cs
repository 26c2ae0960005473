using Touchpoint.Cli;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Jobs;

public sealed class WorkerCliTests(PostgresCluster pg)
{
    static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await TouchpointCli.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Serve_rejects_an_invalid_worker_count_in_one_line()
    {
        var (cs, _) = await TouchpointApp.DatabaseFor(Store.Sqlite, pg);
        var result = await Run("serve", "--workers", "-1", "--urls=http://127.0.0.1:0", $"--ConnectionStrings:Sqlite={cs}");
        Assert.Equal(2, result.Code);
        Assert.Contains("Touchpoint:Scheduler: Workers must be between 0 and 64.", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_verb_refuses_zero_workers_and_an_unmigrated_store()
    {
        var (cs, _) = await TouchpointApp.DatabaseFor(Store.Sqlite, pg);
        var zero = await Run("worker", "--Touchpoint:Scheduler:Workers=0", $"--ConnectionStrings:Sqlite={cs}");
        Assert.Equal(2, zero.Code);
        Assert.Contains("needs at least one worker", zero.Err, StringComparison.Ordinal);
        var unmigrated = await Run("worker", "--workers", "2", $"--ConnectionStrings:Sqlite={cs}");
        Assert.Equal(2, unmigrated.Code);
        Assert.Contains("run `touchpoint migrate` first", unmigrated.Err, StringComparison.Ordinal);
    }
}
