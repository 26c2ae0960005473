using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Jobs;

/// <summary>Puts a dead job back in the queue; shared by <c>POST /jobs/{id}/retry</c> and the dashboard.</summary>
public sealed class JobRedrive(TouchpointDb db, TimeProvider clock)
{
    /// <summary>(null, false) when the job is not visible; (job as stored, false) when it is not dead; the re-queued job otherwise.</summary>
    public async Task<(ScheduledAction? Job, bool Retried)> RetryDeadAsync(Guid id, CancellationToken ct)
    {
        var job = await db.ScheduledActions.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return (null, false);
        var now = clock.GetUtcNow();
        // Conditional on status so a concurrent retry (or a reaper) cannot re-drive a job twice.
        var changed = await db.ScheduledActions.Where(j => j.Id == id && j.Status == JobStatus.Dead)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Pending)
                .SetProperty(j => j.Attempts, 0)
                .SetProperty(j => j.RunAt, now)
                .SetProperty(j => j.CompletedAt, (DateTimeOffset?)null)
                .SetProperty(j => j.UpdatedAt, now), ct);
        if (changed == 0) return (job, false);
        job.Status = JobStatus.Pending;
        job.Attempts = 0;
        job.RunAt = now;
        job.CompletedAt = null;
        job.UpdatedAt = now;
        return (job, true);
    }
}
