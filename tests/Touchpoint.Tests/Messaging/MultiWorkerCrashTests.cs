using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Messaging;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Messaging;

/// <summary>
/// Issue #6 acceptance: several real <c>touchpoint worker</c> processes drain one PostgreSQL outbox into a loopback
/// gateway while one of them is SIGKILLed and restarted. PostgreSQL only: SQLite is single-process by design (one
/// claimer under <c>BEGIN IMMEDIATE</c>, ARCHITECTURE §5), so "several worker processes on one store" is a
/// PostgreSQL deployment.
/// </summary>
public sealed class MultiWorkerCrashTests(PostgresCluster pg)
{
    /// <summary>
    /// The issue asks for 10,000 sends; on the 2-core CI machine (3 workers, PostgreSQL, the API and this test share
    /// it) that is minutes of wall time, so the default is 2,000. <c>TOUCHPOINT_CRASH_TEST_MESSAGES=10000</c> runs
    /// the full size (docs/messages.md, "Crash safety, verified").
    /// </summary>
    static readonly int Messages = int.TryParse(Environment.GetEnvironmentVariable("TOUCHPOINT_CRASH_TEST_MESSAGES"),
        CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2_000;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_worker_processes_survive_a_sigkill_without_a_double_send_a_lost_message_or_a_stuck_job()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        // Held after recording: a kill then often lands between "the gateway has it" and "Touchpoint wrote sent".
        gateway.AnswerDelay = TimeSpan.FromMilliseconds(5);
        await using var app = await MultiWorkerKit.StartApiOnlyAsync(pg);
        var ws = await app.NewWorkspaceAsync();
        // No `from`: no sender bucket (default 1 msg/s) throttles this test; MultiWorkerRateLimitTests covers limits.
        await MultiWorkerKit.ConfigureGatewayAsync(ws, gateway, from: null);
        var keys = await MultiWorkerKit.QueueSendsAsync(ws, Messages, "crash");

        var workers = new List<WorkerProcess>();
        try
        {
            for (var i = 0; i < 3; i++) workers.Add(MultiWorkerKit.StartWorker(app, $"worker-{i}"));

            // Mid-run: a quarter of the sends reached the gateway, the rest are still queued or claimed.
            await MultiWorkerKit.WaitForAsync(() => Task.FromResult(gateway.Posts >= Messages / 4), TimeSpan.FromMinutes(3),
                () => $"the workers did not reach {Messages / 4} sends (gateway has {gateway.Posts})", workers);
            var postsAtKill = gateway.Posts;
            workers[0].Kill();
            Assert.True(postsAtKill < Messages, $"the kill came after the run ({postsAtKill} of {Messages} sent): it proves nothing");
            workers.Add(MultiWorkerKit.StartWorker(app, "worker-0-restarted"));

            await MultiWorkerKit.WaitForAsync(async () => await MultiWorkerKit.FinishedMessagesAsync(app) == Messages, TimeSpan.FromMinutes(10),
                () => $"not every message reached sent/uncertain: {MultiWorkerKit.StatusCounts(app)}", workers);
            await MultiWorkerKit.WaitForAsync(async () => !await AnyOpenDispatchJobAsync(app), TimeSpan.FromMinutes(1),
                () => $"dispatch jobs are still open after every message finished: {JobCounts(app)}", workers);

            // Uncertain is final: nothing sends it again later (a few reaper ticks and retry delays pass here).
            var postsAtEnd = gateway.Posts;
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            Assert.Equal(postsAtEnd, gateway.Posts);

            await AssertExactlyOnceAsync(app, gateway, keys);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{Messages} messages, killed at {postsAtKill} sends; {MultiWorkerKit.StatusCounts(app)}; gateway lookups {gateway.Lookups}; {JobCounts(app)}");
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }
    }

    static async Task AssertExactlyOnceAsync(TouchpointApp app, RecordingGateway gateway, HashSet<string> keys)
    {
        await MultiWorkerKit.AssertNoRepeatedSendAsync(app, gateway);
        Assert.True(gateway.PostsByKey.Keys.All(k => keys.Contains(k)), "the gateway received a key that was never submitted");

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        var messages = await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Select(m => new { m.IdempotencyKey, m.Status, m.ProviderMessageId, m.ErrorCode }).ToListAsync(Ct);
        Assert.Equal(Messages, messages.Count); // none lost, none added
        Assert.True(keys.SetEquals(messages.Select(m => m.IdempotencyKey)), "the outbox keys are not the submitted keys");
        foreach (var m in messages)
        {
            var received = gateway.PostsByKey.GetValueOrDefault(m.IdempotencyKey);
            switch (m.Status)
            {
                case MessageStatus.Sent:
                    Assert.True(received == 1, $"{m.IdempotencyKey} is sent but the gateway received it {received} time(s)");
                    Assert.Equal(RecordingGateway.IdFor(m.IdempotencyKey), m.ProviderMessageId);
                    break;
                case MessageStatus.Uncertain:
                    Assert.Equal(MessageErrors.UncertainAfterCrash, m.ErrorCode);
                    break;
                default:
                    Assert.Fail($"{m.IdempotencyKey} ended {WireName.Of(m.Status)} ({m.ErrorCode}); expected sent or uncertain");
                    break;
            }
        }

        // No job is left claimed: every dispatch job finished, and the kill did leave claimed jobs to take over.
        var now = DateTimeOffset.UtcNow;
        var jobs = await db.ScheduledActions.IgnoreQueryFilters().AsNoTracking().Where(a => a.Kind == MessageDispatcher.Kind)
            .Select(a => new { a.Status, a.LockedUntil, a.Attempts, a.LastError }).ToListAsync(Ct);
        Assert.DoesNotContain(jobs, j => j.Status == JobStatus.Running && j.LockedUntil < now);
        var unfinished = jobs.Where(j => j.Status != JobStatus.Succeeded).ToList();
        Assert.True(unfinished.Count == 0,
            $"{unfinished.Count} dispatch job(s) did not succeed: {string.Join("; ", unfinished.Take(5).Select(j => $"{j.Status} after {j.Attempts}: {j.LastError}"))}");
        Assert.True(jobs.Any(j => j.Attempts > 1), "no job ran twice: the killed worker held no claimed jobs, so the kill tested nothing");
    }

    static async Task<bool> AnyOpenDispatchJobAsync(TouchpointApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        return await db.ScheduledActions.IgnoreQueryFilters()
            .AnyAsync(a => a.Kind == MessageDispatcher.Kind && (a.Status == JobStatus.Pending || a.Status == JobStatus.Running), Ct);
    }

    static string JobCounts(TouchpointApp app) => Describe(app, db => db.ScheduledActions.IgnoreQueryFilters()
        .Where(a => a.Kind == MessageDispatcher.Kind)
        .GroupBy(a => new { a.Status, Reclaimed = a.Attempts > 1 }).Select(g => new { g.Key.Status, g.Key.Reclaimed, Count = g.Count() })
        .ToList().Select(g => $"jobs {WireName.Of(g.Status)}{(g.Reclaimed ? " (ran again)" : "")}={g.Count}"));

    // Synchronous on purpose: it runs inside failure messages.
    static string Describe(TouchpointApp app, Func<TouchpointDb, IEnumerable<string>> read)
    {
        using var scope = app.Services.CreateScope();
        return string.Join(", ", read(scope.ServiceProvider.GetRequiredService<TouchpointDb>()));
    }
}
