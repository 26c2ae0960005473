using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Features.Admin;

namespace Touchpoint.Jobs;

/// <summary>
/// Claims a batch, runs each job's handler in its own DI scope (or, for a batch-capable kind, the jobs of one
/// workspace together through its <see cref="IBatchJobHandler"/>), then completes the successes in one statement
/// and fails the rest with backoff. Also the manual clock's <see cref="IDueWorkRunner"/>: it drains everything
/// due (including batches other loops of this process hold) before the advance call returns.
/// </summary>
public sealed partial class JobRunner(IJobStore store, RecurringSchedule recurring, IServiceScopeFactory scopes,
    IServiceProviderIsKeyedService keyedServices,
    TimeProvider clock, IOptions<SchedulerOptions> options, ILogger<JobRunner> log) : IDueWorkRunner
{
    const int MaxErrorLength = 2000;
    int inFlight;

    /// <summary>
    /// Claims and runs one batch; returns how many jobs it claimed (0 = nothing due). The successes of the loop's previous
    /// batch (<paramref name="owed"/>) are completed in the same call as the claim, and this batch's are left in
    /// <paramref name="owed"/> for the next one. A loop that stops calls <see cref="CompleteAsync(FinishedJobs)"/> for what
    /// it still owes.
    /// </summary>
    public async Task<int> RunBatchAsync(string workerId, FinishedJobs owed, CancellationToken ct)
    {
        var o = options.Value;
        Interlocked.Increment(ref inFlight);
        try
        {
            IReadOnlyList<ClaimedJob> batch;
            if (owed.Jobs.Count == 0) batch = await store.ClaimAsync(o.ClaimBatch, clock.GetUtcNow(), o.Lease, workerId, ct);
            else if (ct.IsCancellationRequested)
            {
                await CompleteAsync(owed);
                ct.ThrowIfCancellationRequested();
                return 0;
            }
            else
            {
                // Not cancellable once sent: a shutdown must not roll the completion back with the claim.
                var (completed, claimed) = await store.CompleteThenClaimAsync(owed.Jobs, o.ClaimBatch, clock.GetUtcNow(), o.Lease,
                    workerId, CancellationToken.None);
                if (completed < owed.Jobs.Count) LogLostLeases(log, owed.Jobs.Count - completed);
                Settle(owed);
                batch = claimed;
            }
            var succeeded = new List<ClaimedJob>(batch.Count);
            var finished = new HashSet<Guid>();
            try
            {
                // Jobs of a batch-capable kind and one workspace go to its batch handler together; the rest one by one.
                foreach (var group in batch.GroupBy(j => (j.Kind, j.WorkspaceId)))
                {
                    List<ClaimedJob> alone = [.. group];
                    if (keyedServices.IsKeyedService(typeof(IBatchJobHandler), group.Key.Kind))
                        alone = await RunGroupAsync(alone, succeeded, finished, o, ct);
                    foreach (var job in alone)
                    {
                        ct.ThrowIfCancellationRequested();
                        try
                        {
                            await RunOneAsync(job, ct);
                            succeeded.Add(job);
                        }
                        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                        {
                            await FailAsync(job, e, o);
                        }
                        finished.Add(job.Id);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Shutting down: hand the rest back untouched so another worker takes them at once.
                await store.ReleaseAsync([.. batch.Where(j => !finished.Contains(j.Id))], clock.GetUtcNow(), CancellationToken.None);
            }
            if (succeeded.Count > 0)
            {
                // Still in flight until completed: a clock advance (RunDueWorkAsync) waits for it like for a running batch.
                Interlocked.Increment(ref inFlight);
                owed.Jobs = succeeded;
            }
            return batch.Count;
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>Completes what a loop still owes (it stops, or it found nothing to claim).</summary>
    public async Task CompleteAsync(FinishedJobs owed)
    {
        if (owed.Jobs.Count == 0) return;
        var completed = await store.CompleteAsync(owed.Jobs, clock.GetUtcNow(), CancellationToken.None);
        if (completed < owed.Jobs.Count) LogLostLeases(log, owed.Jobs.Count - completed);
        Settle(owed);
    }

    void Settle(FinishedJobs owed)
    {
        owed.Jobs = [];
        Interlocked.Decrement(ref inFlight);
    }

    /// <summary>
    /// Runs jobs of one kind and workspace through the kind's batch handler and records each job's own result;
    /// returns the jobs left to run alone. When the batch call itself throws every job runs alone, so a job that
    /// breaks the shared work (a poison row) fails only itself.
    /// </summary>
    async Task<List<ClaimedJob>> RunGroupAsync(List<ClaimedJob> jobs, List<ClaimedJob> succeeded, HashSet<Guid> finished,
        SchedulerOptions o, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        IReadOnlyList<BatchJobResult> results;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            if (jobs[0].WorkspaceId != Guid.Empty) scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(jobs[0].WorkspaceId);
            results = await scope.ServiceProvider.GetRequiredKeyedService<IBatchJobHandler>(jobs[0].Kind).HandleBatchAsync(jobs, ct);
            if (results.Count != jobs.Count)
                throw new InvalidOperationException($"batch handler for '{jobs[0].Kind}' returned {results.Count} results for {jobs.Count} jobs");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogBatchFailed(log, e, jobs[0].Kind, jobs.Count);
            return jobs;
        }
        var alone = new List<ClaimedJob>();
        for (var n = 0; n < jobs.Count; n++)
        {
            var (job, result) = (jobs[n], results[n]);
            if (result.Alone)
            {
                alone.Add(job);
                continue;
            }
            if (result.Error is { } error) await FailAsync(job, error, o);
            else succeeded.Add(job);
            finished.Add(job.Id);
        }
        return alone;
    }

    public async Task RunDueWorkAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await store.ReapExpiredLeasesAsync(now, ct);
        await recurring.EnqueueNextAsync(now, ct);
        var owed = new FinishedJobs();
        try
        {
            while (true)
            {
                if (await RunBatchAsync("clock-advance", owed, ct) > 0) continue;
                if (Volatile.Read(ref inFlight) == 0) return;
                await Task.Delay(TimeSpan.FromMilliseconds(10), ct); // a worker loop still holds a batch
            }
        }
        finally
        {
            await CompleteAsync(owed);
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

    [LoggerMessage(LogLevel.Warning, "A batch of {Count} {Kind} job(s) failed as a whole; each runs alone now.")]
    static partial void LogBatchFailed(ILogger logger, Exception e, string kind, int count);

    [LoggerMessage(LogLevel.Warning, "Job {Kind} {Id} failed on attempt {Attempts}; retry at {RetryAt} (none = dead).")]
    static partial void LogFailed(ILogger logger, Exception e, string kind, Guid id, int attempts, DateTimeOffset? retryAt);
}

/// <summary>The successes of a claim loop's last batch, not completed yet: they ride along with its next claim.</summary>
public sealed class FinishedJobs
{
    internal List<ClaimedJob> Jobs { get; set; } = [];
}
