using System.Globalization;
using System.Text;

namespace Touchpoint.Bench.Queue;

/// <summary>
/// <c>queue [--pg &lt;connstr&gt;] [--jobs 100000] [--batch1-jobs 10000] [--hangfire-jobs 2000] [--workers 1,4,16]
/// [--batches 1,100,500] [--runs 3] [--systems touchpoint,reference,hangfire,sqlite,touchpoint-unprepared]</c>; see docs/benchmarks.md.
/// Without --pg a throwaway cluster is started (initdb/pg_ctl, as the tests do).
/// </summary>
public static class QueueBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int[] Ints(string name, string fallback) => [.. (Arg(name) ?? fallback).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        var jobs = Ints("--jobs", "100000")[0];
        var batch1Jobs = Ints("--batch1-jobs", "10000")[0];
        var hangfireJobs = Ints("--hangfire-jobs", "2000")[0];
        var workerCounts = Ints("--workers", "1,4,16");
        var batches = Ints("--batches", "1,100,500");
        var runs = Ints("--runs", "3")[0];
        var systems = (Arg("--systems") ?? "touchpoint,reference,hangfire,sqlite").Split(',').ToHashSet();

        await using var pg = await BenchPostgres.StartAsync(Arg("--pg"));
        Console.WriteLine($"PostgreSQL: {pg.Description}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        var results = new List<(string System, int Batch, int Workers, List<RunResult> Runs)>();

        async Task MeasureAsync(string system, int batch, int workers, Func<Task<RunResult>> run)
        {
            var list = new List<RunResult>();
            for (var n = 0; n < runs; n++)
            {
                var r = await run();
                Console.WriteLine(FormattableString.Invariant(
                    $"  {r.System,-42} batch {r.Batch,4} workers {r.Workers,3}: {r.Jobs,7} jobs in {r.Seconds,7:F2} s = {r.JobsPerSecond,8:F0}/s, commits/job {r.CommitsPerJob?.ToString("F3", CultureInfo.InvariantCulture) ?? "-"}, exactly once: {r.ExactlyOnce}"));
                list.Add(r);
            }
            results.Add((system, batch, workers, list));
        }

        foreach (var workers in workerCounts)
        {
            foreach (var batch in batches)
            {
                var n = batch == 1 ? Math.Min(jobs, batch1Jobs) : jobs;
                if (systems.Contains("reference")) await MeasureAsync("reference", batch, workers, () => QueueSystems.ReferenceAsync(pg, n, batch, workers));
                if (systems.Contains("touchpoint")) await MeasureAsync("touchpoint", batch, workers, () => QueueSystems.TouchpointPostgresAsync(pg, n, batch, workers));
                if (systems.Contains("touchpoint-unprepared"))
                    await MeasureAsync("touchpoint-unprepared", batch, workers, () => QueueSystems.TouchpointPostgresAsync(pg, n, batch, workers, prepare: false));
                if (systems.Contains("sqlite") && batch > 1) await MeasureAsync("sqlite", batch, workers, () => QueueSystems.TouchpointSqliteAsync(n, batch, workers));
            }
            if (systems.Contains("hangfire")) await MeasureAsync("hangfire", 1, workers, () => QueueSystems.HangfireAsync(pg, hangfireJobs, workers));
        }

        var table = new StringBuilder();
        table.AppendLine("| system | batch | workers | jobs | jobs/s (median) | runs (jobs/s) | commits/job | exactly once |");
        table.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |");
        foreach (var (_, batch, workers, list) in results)
        {
            var sorted = list.OrderBy(r => r.JobsPerSecond).ToList();
            var median = sorted[sorted.Count / 2];
            table.AppendLine(FormattableString.Invariant(
                $"| {median.System} | {batch} | {workers} | {median.Jobs:N0} | {median.JobsPerSecond:N0} | {string.Join(" / ", list.Select(r => r.JobsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} | {median.CommitsPerJob?.ToString("F3", CultureInfo.InvariantCulture) ?? "n/a"} | {(list.All(r => r.ExactlyOnce) ? "yes" : "NO")} |"));
        }
        Console.WriteLine();
        Console.WriteLine(table);
        return results.All(r => r.Runs.All(x => x.ExactlyOnce)) ? 0 : 1;
    }
}
