namespace Touchpoint.Jobs;

/// <summary>
/// A job to put on the queue. <paramref name="IdempotencyKey"/> is unique per workspace: enqueueing the same
/// key twice keeps the first row, so callers may retry an enqueue freely. System jobs use <see cref="Guid.Empty"/>.
/// </summary>
public sealed record NewJob(
    Guid WorkspaceId,
    string Kind,
    string IdempotencyKey,
    DateTimeOffset RunAt,
    string PayloadJson = "{}",
    int Priority = 0,
    int? MaxAttempts = null);

/// <summary>
/// A job this worker holds a lease on. <see cref="LockToken"/> fences every later write: once the lease is
/// reaped and someone else claims the row, this copy can no longer complete, fail or release it.
/// </summary>
public sealed record ClaimedJob(
    Guid WorkspaceId,
    Guid Id,
    string Kind,
    string PayloadJson,
    DateTimeOffset RunAt,
    int Attempts,
    int MaxAttempts,
    Guid LockToken,
    DateTimeOffset LockedUntil);
