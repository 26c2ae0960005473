using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Touchpoint.Data;
using Touchpoint.Jobs;

namespace Touchpoint.Bench.Queue;

/// <summary>One measured drain: how many jobs, how long, how many commits, and whether each ran exactly once.</summary>
public sealed record RunResult(string System, int Batch, int Workers, int Jobs, double Seconds, long? Commits, bool ExactlyOnce)
{
    public double JobsPerSecond => Jobs / Seconds;
    public double? CommitsPerJob => Commits is { } c ? (double)c / Jobs : null;
}

/// <summary>The three queues side by side: Touchpoint's IJobStore (both stores), a plain Npgsql reference loop, Hangfire.</summary>
public static class QueueSystems
{
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>Touchpoint's queue driven like JobRunner: claim a batch, "run" each job (count it), complete the batch.</summary>
    public static async Task<RunResult> TouchpointPostgresAsync(BenchPostgres pg, int jobs, int batch, int workers, bool prepare = true)
    {
        var cs = await pg.CreateTouchpointAsync();
        try
        {
            var store = new PostgresJobStore(cs, 3, prepareStatements: prepare);
            await EnqueueAsync(store, jobs);
            await BenchPostgres.ExecAsync(cs, "VACUUM ANALYZE scheduled_actions");
            var before = await pg.CommitsAsync(cs);
            var (seconds, exactlyOnce) = await DrainAsync(store, jobs, batch, workers);
            var commits = await pg.CommitsAsync(cs) - before;
            await using var db = TouchpointDbOptions.Create(DatabaseProvider.Postgres, cs);
            var succeeded = await db.ScheduledActions.CountAsync(j => j.Status == Domain.Vocabulary.JobStatus.Succeeded);
            return new RunResult(prepare ? "touchpoint (PostgreSQL)" : "touchpoint (PostgreSQL, unprepared)", batch, workers, jobs, seconds, commits, exactlyOnce && succeeded == jobs);
        }
        finally
        {
            await pg.DropAsync(cs);
        }
    }

    public static async Task<RunResult> TouchpointSqliteAsync(int jobs, int batch, int workers)
    {
        var file = Path.Combine(Path.GetTempPath(), $"touchpoint-bench-{Guid.NewGuid():N}.db");
        var cs = $"Data Source={file};Pooling=True;Default Timeout=60";
        try
        {
            await using (var db = TouchpointDbOptions.Create(DatabaseProvider.Sqlite, cs))
            {
                await db.Database.MigrateAsync();
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }
            var store = new SqliteJobStore(cs, 3);
            await EnqueueAsync(store, jobs);
            var (seconds, exactlyOnce) = await DrainAsync(store, jobs, batch, workers);
            await using var check = TouchpointDbOptions.Create(DatabaseProvider.Sqlite, cs);
            var succeeded = await check.ScheduledActions.CountAsync(j => j.Status == Domain.Vocabulary.JobStatus.Succeeded);
            return new RunResult("touchpoint (SQLite)", batch, workers, jobs, seconds, null, exactlyOnce && succeeded == jobs);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        }
    }

    static async Task EnqueueAsync(IJobStore store, int jobs)
    {
        var now = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var start = 0; start < jobs; start += 5000)
        {
            var chunk = Enumerable.Range(start, Math.Min(5000, jobs - start))
                .Select(n => new NewJob(Guid.Empty, "bench.noop", $"job-{n}", now)).ToList();
            await store.EnqueueManyAsync(chunk, now, CancellationToken.None);
        }
    }

    static async Task<(double Seconds, bool ExactlyOnce)> DrainAsync(IJobStore store, int jobs, int batch, int workers)
    {
        var runs = new ConcurrentDictionary<Guid, int>();
        var completed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            IReadOnlyList<ClaimedJob> finished = [];
            while (Volatile.Read(ref completed) < jobs)
            {
                // As JobRunner's loops: the last batch's completion rides along with the next claim.
                var (done, claimed) = await store.CompleteThenClaimAsync(finished, batch, DateTimeOffset.UtcNow, Lease, $"bench-{w}",
                    CancellationToken.None);
                Interlocked.Add(ref completed, done);
                finished = claimed;
                if (claimed.Count == 0)
                {
                    if (Volatile.Read(ref completed) < jobs) await Task.Delay(1); // the rest is held by other workers
                    continue;
                }
                foreach (var job in claimed) runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1); // the no-op "handler"
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        return (seconds, runs.Count == jobs && runs.Values.All(n => n == 1) && completed == jobs);
    }

    /// <summary>
    /// What PostgreSQL allows here: a bare table, the textbook SKIP LOCKED claim with attempt++ and a lease, and one
    /// completion statement per batch. No fencing token, no idempotency key, no workspace column.
    /// </summary>
    public static async Task<RunResult> ReferenceAsync(BenchPostgres pg, int jobs, int batch, int workers)
    {
        var cs = await pg.CreateEmptyAsync("ref");
        try
        {
            await BenchPostgres.ExecAsync(cs, $"""
                CREATE TABLE jobs (id bigserial PRIMARY KEY, status smallint NOT NULL DEFAULT 0, attempts int NOT NULL DEFAULT 0,
                    locked_until timestamptz, run_at timestamptz NOT NULL DEFAULT now(), payload jsonb NOT NULL DEFAULT '{"{}"}');
                CREATE INDEX jobs_ready ON jobs (run_at) WHERE status = 0;
                INSERT INTO jobs (run_at) SELECT now() - interval '1 second' FROM generate_series(1, {jobs});
                """);
            await BenchPostgres.ExecAsync(cs, "VACUUM ANALYZE jobs");
            var before = await pg.CommitsAsync(cs);
            var hits = new int[jobs + 1];
            var completed = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                var ids = new List<long>(batch);
                while (Volatile.Read(ref completed) < jobs)
                {
                    ids.Clear();
                    await using (var c = new NpgsqlConnection(cs))
                    {
                        await c.OpenAsync();
                        await using (var claim = new NpgsqlCommand("""
                            UPDATE jobs SET status = 1, attempts = attempts + 1, locked_until = now() + interval '5 minutes'
                            WHERE id IN (SELECT id FROM jobs WHERE status = 0 AND run_at <= now() ORDER BY run_at LIMIT @n FOR UPDATE SKIP LOCKED)
                            RETURNING id
                            """, c))
                        {
                            claim.Parameters.AddWithValue("n", batch);
                            await using var r = await claim.ExecuteReaderAsync();
                            while (await r.ReadAsync()) ids.Add(r.GetInt64(0));
                        }
                        if (ids.Count == 0) { await Task.Delay(1); continue; }
                        foreach (var id in ids) Interlocked.Increment(ref hits[id]);
                        await using var done = new NpgsqlCommand("UPDATE jobs SET status = 2, locked_until = NULL WHERE id = ANY(@ids)", c);
                        done.Parameters.AddWithValue("ids", ids.ToArray());
                        Interlocked.Add(ref completed, await done.ExecuteNonQueryAsync());
                    }
                }
            })));
            var seconds = clock.Elapsed.TotalSeconds;
            var commits = await pg.CommitsAsync(cs) - before;
            return new RunResult("reference loop (Npgsql)", batch, workers, jobs, seconds, commits, hits.Skip(1).All(h => h == 1));
        }
        finally
        {
            await pg.DropAsync(cs);
        }
    }

    /// <summary>Hangfire 1.8 with Hangfire.PostgreSql at its defaults; jobs are enqueued before the server starts.</summary>
    public static async Task<RunResult> HangfireAsync(BenchPostgres pg, int jobs, int workers)
    {
        var cs = await pg.CreateEmptyAsync("hf");
        try
        {
            var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
            var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(cs, options), options);
            var client = new BackgroundJobClient(storage);
            HangfireNoop.Reset(jobs);
            await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = 8 },
                (n, _) => { client.Enqueue(() => HangfireNoop.Run(n)); return ValueTask.CompletedTask; });
            var before = await pg.CommitsAsync(cs);
            var clock = Stopwatch.StartNew();
            double seconds;
            using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, ServerName = $"bench-{Guid.NewGuid():N}" }, storage))
            {
                while (HangfireNoop.Completed < jobs && clock.Elapsed < TimeSpan.FromMinutes(30)) await Task.Delay(5);
                seconds = clock.Elapsed.TotalSeconds;
            }
            var commits = await pg.CommitsAsync(cs) - before;
            return new RunResult("Hangfire 1.8 + Hangfire.PostgreSql 1.21", 1, workers, jobs, seconds, commits, HangfireNoop.ExactlyOnce(jobs));
        }
        finally
        {
            await pg.DropAsync(cs);
        }
    }
}

/// <summary>Hangfire's no-op job; counts executions per job number.</summary>
public static class HangfireNoop
{
    static int[] hits = [];
    static int completed;

    public static int Completed => Volatile.Read(ref completed);

    public static void Reset(int jobs)
    {
        hits = new int[jobs];
        completed = 0;
    }

    public static void Run(int n)
    {
        if (Interlocked.Increment(ref hits[n]) == 1) Interlocked.Increment(ref completed);
    }

    public static bool ExactlyOnce(int jobs) => Completed == jobs && hits.All(h => h == 1);
}
