using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Jobs;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Jobs;

/// <summary>
/// A batch-capable job kind (<see cref="IBatchJobHandler"/>): the runner hands it all claimed jobs of one workspace, and
/// each job still succeeds, fails with backoff or runs alone on its own.
/// </summary>
public sealed class BatchJobRunnerTests(PostgresCluster pg)
{
    const string Start = "2026-03-01T12:00:00Z";
    static readonly DateTimeOffset T0 = DateTimeOffset.Parse(Start, System.Globalization.CultureInfo.InvariantCulture);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task One_failing_job_of_a_batch_fails_alone_and_a_job_left_to_the_single_path_runs_there(Store store)
    {
        await using var app = await StartAsync(store);
        var ws = await app.NewWorkspaceAsync();
        var other = await app.NewWorkspaceAsync();
        var seen = app.Services.GetRequiredService<BatchSeen>();
        var jobs = app.Services.GetRequiredService<IJobStore>();
        foreach (var key in new[] { "ok-1", "bad", "alone", "ok-2" })
            await jobs.EnqueueAsync(new NewJob(ws.Id, BatchRecordingJob.Kind, key, T0, PayloadJson: $"{{\"key\":\"{key}\"}}", MaxAttempts: 3), T0, Ct);
        await jobs.EnqueueAsync(new NewJob(other.Id, BatchRecordingJob.Kind, "elsewhere", T0, PayloadJson: "{\"key\":\"elsewhere\"}"), T0, Ct);

        await AdvanceAsync(app, 1);

        // One batch call per workspace; "alone" then went through HandleAsync.
        Assert.Equal(2, seen.Batches.Count);
        Assert.Contains(seen.Batches, b => b.Order().SequenceEqual(new[] { "alone", "bad", "ok-1", "ok-2" }));
        Assert.Contains(seen.Batches, b => b.SequenceEqual(new[] { "elsewhere" }));
        Assert.Equal(["alone"], seen.Alone);

        var succeeded = await JobsAsync(app, ws, JobStatus.Succeeded);
        Assert.Equal(["alone", "ok-1", "ok-2"], succeeded.Select(j => j.IdempotencyKey).Order());
        var pending = Assert.Single(await JobsAsync(app, ws, JobStatus.Pending));
        Assert.Equal(("bad", 1), (pending.IdempotencyKey, pending.Attempts));
        Assert.Contains("bad job", pending.LastError, StringComparison.Ordinal);
        Assert.InRange(pending.RunAt, T0.AddMinutes(1).AddSeconds(12), T0.AddMinutes(1).AddSeconds(18)); // backoff as for any failure
        Assert.Single(await JobsAsync(app, other, JobStatus.Succeeded));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task When_the_batch_call_throws_every_job_runs_alone_so_only_the_poison_one_fails(Store store)
    {
        await using var app = await StartAsync(store);
        var ws = await app.NewWorkspaceAsync();
        var seen = app.Services.GetRequiredService<BatchSeen>();
        var jobs = app.Services.GetRequiredService<IJobStore>();
        foreach (var key in new[] { "ok-1", "poison", "ok-2" })
            await jobs.EnqueueAsync(new NewJob(ws.Id, BatchRecordingJob.Kind, key, T0, PayloadJson: $"{{\"key\":\"{key}\"}}", MaxAttempts: 3), T0, Ct);

        await AdvanceAsync(app, 1);

        Assert.Single(seen.Batches);
        Assert.Equal(["ok-1", "ok-2", "poison"], seen.Alone.Order());
        Assert.Equal(["ok-1", "ok-2"], (await JobsAsync(app, ws, JobStatus.Succeeded)).Select(j => j.IdempotencyKey).Order());
        var pending = Assert.Single(await JobsAsync(app, ws, JobStatus.Pending));
        Assert.Equal("poison", pending.IdempotencyKey);
        Assert.Contains("poison alone", pending.LastError, StringComparison.Ordinal);
    }

    static Task<TouchpointApp> StartAsync(Store store, PostgresCluster pg) =>
        TouchpointApp.StartAsync(store, pg, clockAt: Start,
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" },
            configure: BatchRecordingJob.Register);

    Task<TouchpointApp> StartAsync(Store store) => StartAsync(store, pg);

    static async Task AdvanceAsync(TouchpointApp app, int minutes) =>
        (await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes }, Ct)).EnsureSuccessStatusCode();

    static Task<List<ScheduledAction>> JobsAsync(TouchpointApp app, WorkspaceClient ws, JobStatus status) =>
        app.DbAsync(db => db.ScheduledActions.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.WorkspaceId == ws.Id && a.Status == status).ToListAsync(Ct));
}

public sealed class BatchSeen
{
    public ConcurrentQueue<List<string>> Batches { get; } = new();
    public ConcurrentQueue<string> Alone { get; } = new();
}

/// <summary>
/// Test-only batch kind. Payload key "bad" fails in the batch, "alone" is left to the single path, "poison" makes the
/// whole batch call throw (and fails again when run alone).
/// </summary>
public sealed class BatchRecordingJob(BatchSeen seen) : IJobHandler, IBatchJobHandler
{
    public const string Kind = "test.batch";

    public Task HandleAsync(ClaimedJob job, CancellationToken ct)
    {
        var key = Key(job);
        seen.Alone.Enqueue(key);
        if (key == "poison") throw new InvalidOperationException("poison alone");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BatchJobResult>> HandleBatchAsync(IReadOnlyList<ClaimedJob> jobs, CancellationToken ct)
    {
        var keys = jobs.Select(Key).ToList();
        seen.Batches.Enqueue(keys);
        if (keys.Contains("poison")) throw new InvalidOperationException("the shared save failed");
        return Task.FromResult<IReadOnlyList<BatchJobResult>>([.. keys.Select(k => k switch
        {
            "bad" => BatchJobResult.Failed(new InvalidOperationException("bad job")),
            "alone" => BatchJobResult.RunAlone,
            _ => BatchJobResult.Done,
        })]);
    }

    static string Key(ClaimedJob job) =>
        System.Text.Json.JsonDocument.Parse(job.PayloadJson).RootElement.GetProperty("key").GetString()!;

    public static void Register(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BatchSeen>();
        builder.Services.AddJobHandler<BatchRecordingJob>(Kind);
        builder.Services.AddBatchJobHandler<BatchRecordingJob>(Kind);
    }
}
