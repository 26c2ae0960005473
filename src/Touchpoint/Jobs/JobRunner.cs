using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Features.Admin;

namespace Touchpoint.Jobs;

/// <summary>
/// Claims a batch, runs each job's handler in its own DI scope, then completes the successes in one statement
/// and fails the rest with backoff. Also the manual clock's <see cref="IDueWorkRunner"/>: it drains everything
/// due (including batches other loops of this process hold) before the advance call returns.
/// </summary>
public sealed partial class JobRunner(IJobStore store, RecurringSchedule recurring, IServiceScopeFactory scopes,
    TimeProvider clock, IOptions<SchedulerOptions> options, ILogger<JobRunner> log) : IDueWorkRunner
{
    const int MaxErrorLength = 2000;
    int inFlight;

    /// <summary>Claims and runs one batch; returns how many jobs it claimed (0 = nothing due).</summary>
    public async Task<int> RunBatchAsync(string workerId, CancellationToken ct)
    {
        var o = options.Value;
        Interlocked.Increment(ref inFlight);
        try
        {
            var batch = await store.ClaimAsync(o.ClaimBatch, clock.GetUtcNow(), o.Lease, workerId, ct);
            var succeeded = new List<ClaimedJob>(batch.Count);
            for (var n = 0; n < batch.Count; n++)
            {
                var job = batch[n];
                try
                {
                    ct.ThrowIfCancellationRequested();
                    await RunOneAsync(job, ct);
                    succeeded.Add(job);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Shutting down: hand the rest back untouched so another worker takes them at once.
                    await store.ReleaseAsync([.. batch.Skip(n)], clock.GetUtcNow(), CancellationToken.None);
                    break;
                }
                catch (Exception e)
                {
                    await FailAsync(job, e, o);
                }
            }
            var completed = await store.CompleteAsync(succeeded, clock.GetUtcNow(), CancellationToken.None);
            if (completed < succeeded.Count) LogLostLeases(log, succeeded.Count - completed);
            return batch.Count;
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    public async Task RunDueWorkAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await store.ReapExpiredLeasesAsync(now, ct);
        await recurring.EnqueueNextAsync(now, ct);
        while (true)
        {
            if (await RunBatchAsync("clock-advance", ct) > 0) continue;
            if (Volatile.Read(ref inFlight) == 0) return;
            await Task.Delay(TimeSpan.FromMilliseconds(10), ct); // a worker loop still holds a batch
        }
    }

    async Task RunOneAsync(ClaimedJob job, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        // Tenant jobs see only their workspace; system jobs (Guid.Empty) run unscoped.
        if (job.WorkspaceId != Guid.Empty) scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(job.WorkspaceId);
        var handler = scope.ServiceProvider.GetKeyedService<IJobHandler>(job.Kind)
            ?? throw new PermanentJobFailure($"No handler is registered for job kind '{job.Kind}'.");
        await handler.HandleAsync(job, ct);
    }

    async Task FailAsync(ClaimedJob job, Exception e, SchedulerOptions o)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? retryAt = e is PermanentJobFailure || job.Attempts >= job.MaxAttempts
            ? null
            : now + RetryBackoff.Delay(job.Attempts, o.RetryBase, o.RetryCap, Random.Shared);
        var error = $"{e.GetType().Name}: {e.Message}";
        if (error.Length > MaxErrorLength) error = error[..MaxErrorLength];
        if (!await store.FailAsync(job, error, retryAt, now, CancellationToken.None)) LogLostLeases(log, 1);
        else LogFailed(log, e, job.Kind, job.Id, job.Attempts, retryAt);
    }

    [LoggerMessage(LogLevel.Warning, "{Count} job(s) finished after their lease was lost; another worker owns them now.")]
    static partial void LogLostLeases(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Job {Kind} {Id} failed on attempt {Attempts}; retry at {RetryAt} (none = dead).")]
    static partial void LogFailed(ILogger logger, Exception e, string kind, Guid id, int attempts, DateTimeOffset? retryAt);
}
