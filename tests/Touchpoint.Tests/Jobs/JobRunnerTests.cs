using System.Net;
using System.Net.Http.Json;
using Touchpoint.Jobs;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Jobs;

/// <summary>The queue through the real host: the manual clock drains due work, dead jobs surface in /jobs and re-drive.</summary>
public sealed class JobRunnerTests(PostgresCluster pg)
{
    const string Start = "2026-03-01T12:00:00Z";
    static readonly DateTimeOffset T0 = DateTimeOffset.Parse(Start, System.Globalization.CultureInfo.InvariantCulture);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<TouchpointApp> StartAsync(Store store, PostgresCluster pg, int workers) =>
        TouchpointApp.StartAsync(store, pg, clockAt: Start,
            settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = $"{workers}" },
            configure: RecordingJob.Register);

    static async Task AdvanceAsync(TouchpointApp app, int minutes) =>
        (await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes }, Ct)).EnsureSuccessStatusCode();

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Advancing_the_manual_clock_runs_a_due_job_before_the_call_returns(Store store)
    {
        await using var app = await StartAsync(store, pg, workers: 1);
        var ws = await app.NewWorkspaceAsync();
        var recorder = app.Services.GetRequiredService<JobRecorder>();
        var jobs = app.Services.GetRequiredService<IJobStore>();
        await jobs.EnqueueAsync(new NewJob(ws.Id, RecordingJob.Kind, "in-30-min", T0.AddMinutes(30)), T0, Ct);

        await AdvanceAsync(app, 10);
        Assert.Empty(recorder.Ran);
        await AdvanceAsync(app, 25);
        var ran = Assert.Single(recorder.Ran);
        Assert.Equal(ws.Id, ran.WorkspaceId);

        var succeeded = await ws.Http.GetFromJsonAsync<List<JobDto>>("/api/v1/jobs?status=succeeded", Ct);
        var job = Assert.Single(succeeded!);
        Assert.Equal((RecordingJob.Kind, 1, T0.AddMinutes(35)), (job.Kind, job.Attempts, job.CompletedAt));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Failing_job_backs_off_goes_dead_is_listed_and_retry_redrives_it(Store store)
    {
        await using var app = await StartAsync(store, pg, workers: 0);
        var ws = await app.NewWorkspaceAsync();
        var other = await app.NewWorkspaceAsync();
        var recorder = app.Services.GetRequiredService<JobRecorder>();
        recorder.Fail = true;
        await app.Services.GetRequiredService<IJobStore>()
            .EnqueueAsync(new NewJob(ws.Id, RecordingJob.Kind, "flaky", T0, MaxAttempts: 3), T0, Ct);

        await AdvanceAsync(app, 1);                     // attempt 1 fails; retry in 12–18 s
        Assert.Single(recorder.Ran);
        var pending = Assert.Single((await ws.Http.GetFromJsonAsync<List<JobDto>>("/api/v1/jobs?status=pending", Ct))!);
        Assert.InRange(pending.RunAt, T0.AddMinutes(1).AddSeconds(12), T0.AddMinutes(1).AddSeconds(18));
        Assert.Contains("provider said no (attempt 1)", pending.LastError, StringComparison.Ordinal);
        await AdvanceAsync(app, 1);                     // attempt 2 fails; retry in 24–36 s
        await AdvanceAsync(app, 1);                     // attempt 3 fails: out of attempts
        Assert.Equal(3, recorder.Ran.Count);

        var dead = Assert.Single((await ws.Http.GetFromJsonAsync<List<JobDto>>("/api/v1/jobs?status=dead", Ct))!);
        Assert.Equal(("dead", 3, 3), (dead.Status, dead.Attempts, dead.MaxAttempts));
        Assert.Contains("attempt 3", dead.LastError, StringComparison.Ordinal);
        Assert.Empty((await other.Http.GetFromJsonAsync<List<JobDto>>("/api/v1/jobs?status=dead", Ct))!);

        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.PostAsync($"/api/v1/jobs/{dead.Id}/retry", null, Ct)).StatusCode);
        recorder.Fail = false;
        var retried = await ws.Http.PostAsync($"/api/v1/jobs/{dead.Id}/retry", null, Ct);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var conflict = await ws.Http.PostAsync($"/api/v1/jobs/{dead.Id}/retry", null, Ct);
        await ProblemAssert.IsProblemAsync(conflict, HttpStatusCode.Conflict);

        await AdvanceAsync(app, 1);
        Assert.Equal(4, recorder.Ran.Count);
        var done = Assert.Single((await ws.Http.GetFromJsonAsync<List<JobDto>>("/api/v1/jobs?status=succeeded", Ct))!);
        Assert.Equal((dead.Id, 1), (done.Id, done.Attempts));
        var bad = await ws.Http.GetAsync("/api/v1/jobs?status=exploded", Ct);
        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest);
    }

    sealed record JobDto(Guid Id, string Kind, string Status, int Attempts, int MaxAttempts, DateTimeOffset RunAt,
        string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);
}
