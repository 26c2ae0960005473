using Npgsql;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Jobs;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Jobs;

/// <summary>
/// Idle workers wake for new work instead of sleeping through their poll interval. The poll is set to 30 s and
/// each job must run within 10 s of being enqueued: a behaviour check (was the worker woken?), not a timing.
/// </summary>
public sealed class QueueWakeupTests(PostgresCluster pg)
{
    static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<TouchpointApp> StartAsync(Store store, PostgresCluster pg) =>
        TouchpointApp.StartAsync(store, pg, settings: new Dictionary<string, string>
        {
            ["Touchpoint:Scheduler:Workers"] = "1",
            ["Touchpoint:Scheduler:IdlePoll"] = "00:00:30",
            ["Touchpoint:Scheduler:TickInterval"] = "00:00:30",
        }, configure: RecordingJob.Register);

    static async Task RanPromptlyAsync(JobRecorder recorder, Guid jobIdOrEmpty, int expectedCount, string what)
    {
        var deadline = DateTime.UtcNow + Prompt; // wall clock on purpose: the worker's poll is wall-clock too
        while (recorder.Ran.Count < expectedCount && DateTime.UtcNow < deadline) await Task.Delay(25, Ct);
        Assert.True(recorder.Ran.Count >= expectedCount, $"{what} did not run within {Prompt.TotalSeconds} s (poll is 30 s)");
        if (jobIdOrEmpty != Guid.Empty) Assert.Contains(recorder.Ran, j => j.Id == jobIdOrEmpty);
    }

    static NewJob Due(Guid workspace, string key) => new(workspace, RecordingJob.Kind, key, DateTimeOffset.UtcNow);

    /// <summary>The listener's backend, once its LISTEN is in place (pg_stat_activity shows the last statement).</summary>
    static async Task<int> ListenerPidAsync(string connectionString, int notPid = 0)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        var deadline = DateTime.UtcNow + Prompt;
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync(Ct);
        while (DateTime.UtcNow < deadline)
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT pid FROM pg_stat_activity
                WHERE datname = @db AND application_name = 'touchpoint-job-listener' AND query = 'LISTEN touchpoint_jobs' AND pid <> @not
                """, c);
            cmd.Parameters.AddWithValue("db", database!);
            cmd.Parameters.AddWithValue("not", notPid);
            if (await cmd.ExecuteScalarAsync(Ct) is int pid) return pid;
            await Task.Delay(25, Ct);
        }
        throw new Xunit.Sdk.XunitException("the job listener never issued LISTEN");
    }

    [Fact]
    public async Task On_postgres_work_inserted_by_another_process_wakes_an_idle_worker_and_the_listener_reconnects()
    {
        await using var app = await StartAsync(Store.Postgres, pg);
        var ws = await app.NewWorkspaceAsync();
        var recorder = app.Services.GetRequiredService<JobRecorder>();
        // Another process: its own store and connections, and no in-process wake-up into this host.
        var otherProcess = new PostgresJobStore(app.ConnectionString, 3);
        var listener = await ListenerPidAsync(app.ConnectionString);

        await otherProcess.EnqueueAsync(Due(ws.Id, "first"), DateTimeOffset.UtcNow, Ct);
        await RanPromptlyAsync(recorder, Guid.Empty, 1, "the first job");
        await Task.Delay(300, Ct); // the loop is back in its 30 s idle wait
        await otherProcess.EnqueueAsync(Due(ws.Id, "second"), DateTimeOffset.UtcNow, Ct);
        await RanPromptlyAsync(recorder, Guid.Empty, 2, "a job enqueued through another store");

        // An EF insert (as the outbox does) from another context also reaches the worker through the trigger.
        await using (var db = TouchpointDbOptions.Create(DatabaseProvider.Postgres, app.ConnectionString))
        {
            var now = DateTimeOffset.UtcNow;
            db.ScheduledActions.Add(new ScheduledAction
            {
                WorkspaceId = ws.Id, Kind = RecordingJob.Kind, IdempotencyKey = "via-ef", RunAt = now, CreatedAt = now, UpdatedAt = now,
            });
            await db.SaveChangesAsync(Ct);
        }
        await RanPromptlyAsync(recorder, Guid.Empty, 3, "a job inserted through EF Core");

        // Kill the LISTEN connection: the listener reconnects and NOTIFY works again.
        await using (var admin = new NpgsqlConnection(app.ConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
            kill.Parameters.AddWithValue("pid", listener);
            await kill.ExecuteScalarAsync(Ct);
        }
        await ListenerPidAsync(app.ConnectionString, notPid: listener);
        await Task.Delay(300, Ct); // the reconnect's own wake has been consumed; the loop idles again
        await otherProcess.EnqueueAsync(Due(ws.Id, "after-reconnect"), DateTimeOffset.UtcNow, Ct);
        await RanPromptlyAsync(recorder, Guid.Empty, 4, "a job enqueued after the listener reconnected");
        Assert.Equal(4, recorder.Ran.Select(j => j.Id).Distinct().Count());
    }

    [Fact]
    public async Task On_sqlite_an_enqueue_or_ef_insert_in_the_same_process_wakes_an_idle_worker()
    {
        await using var app = await StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        var recorder = app.Services.GetRequiredService<JobRecorder>();
        var jobs = app.Services.GetRequiredService<IJobStore>();
        await Task.Delay(300, Ct); // the loop has made its first (empty) claim and idles for 30 s

        await jobs.EnqueueAsync(Due(ws.Id, "first"), DateTimeOffset.UtcNow, Ct);
        await RanPromptlyAsync(recorder, Guid.Empty, 1, "a job enqueued through IJobStore");
        await Task.Delay(300, Ct);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
            var now = DateTimeOffset.UtcNow;
            db.ScheduledActions.Add(new ScheduledAction
            {
                WorkspaceId = ws.Id, Kind = RecordingJob.Kind, IdempotencyKey = "via-ef", RunAt = now, CreatedAt = now, UpdatedAt = now,
            });
            await db.SaveChangesAsync(Ct);
        }
        await RanPromptlyAsync(recorder, Guid.Empty, 2, "a job inserted through EF Core");
    }
}
