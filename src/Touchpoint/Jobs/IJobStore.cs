namespace Touchpoint.Jobs;

/// <summary>
/// The queue over <c>scheduled_actions</c>, in raw SQL per dialect (see docs/decisions/0003-job-queue.md).
/// Every "now" is passed in from <see cref="TimeProvider"/>; the database clock never decides what is due.
/// </summary>
public interface IJobStore
{
    /// <summary>Inserts the job unless its (workspace, idempotency key) exists; true when it was new.</summary>
    Task<bool> EnqueueAsync(NewJob job, DateTimeOffset now, CancellationToken ct);

    /// <summary>Batch <see cref="EnqueueAsync"/>; returns how many rows were new.</summary>
    Task<int> EnqueueManyAsync(IReadOnlyList<NewJob> jobs, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Leases up to <paramref name="batch"/> pending jobs with run_at &lt;= now, highest priority then oldest
    /// first: status running, attempts + 1, locked_until = now + lease, a fresh lock token.
    /// </summary>
    Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int batch, DateTimeOffset now, TimeSpan lease, string workerId, CancellationToken ct);

    /// <summary>Marks the jobs succeeded in one statement; returns how many still held their lease.</summary>
    Task<int> CompleteAsync(IReadOnlyList<ClaimedJob> jobs, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// <see cref="CompleteAsync"/> of the batch a worker just finished and <see cref="ClaimAsync"/> of its next one. On
    /// PostgreSQL both are one round trip and one commit (a worker that goes straight on pays one statement per batch,
    /// not two). When the call fails the caller completes <paramref name="finished"/> again: harmless, the fenced
    /// completion of a job already completed changes nothing (SQLite commits the completion before it claims).
    /// </summary>
    Task<(int Completed, IReadOnlyList<ClaimedJob> Claimed)> CompleteThenClaimAsync(IReadOnlyList<ClaimedJob> finished, int batch,
        DateTimeOffset now, TimeSpan lease, string workerId, CancellationToken ct);

    /// <summary>
    /// Records a failure: back to pending at <paramref name="retryAt"/>, or dead when it is null.
    /// False when the lease was lost (nothing changed).
    /// </summary>
    Task<bool> FailAsync(ClaimedJob job, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken ct);

    /// <summary>Running jobs whose lease ended before now go back to pending (dead when out of attempts).</summary>
    Task<int> ReapExpiredLeasesAsync(DateTimeOffset now, CancellationToken ct);

    /// <summary>Graceful shutdown: held jobs go back to pending and get their attempt back.</summary>
    Task<int> ReleaseAsync(IReadOnlyList<ClaimedJob> jobs, DateTimeOffset now, CancellationToken ct);
}
