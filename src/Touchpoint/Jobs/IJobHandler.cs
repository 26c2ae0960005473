namespace Touchpoint.Jobs;

/// <summary>
/// Runs one kind of job. Registered by kind in <see cref="JobHandlers"/>; resolved in a fresh DI scope per job,
/// so a handler may take scoped services (TouchpointDb). Throwing fails the attempt (retried with backoff).
/// Handlers must be idempotent: a crash after the effect but before completion runs the job again.
/// </summary>
public interface IJobHandler
{
    Task HandleAsync(ClaimedJob job, CancellationToken ct);
}

/// <summary>Thrown by a handler when retrying cannot help: the job goes straight to dead.</summary>
public sealed class PermanentJobFailure(string message) : Exception(message);
