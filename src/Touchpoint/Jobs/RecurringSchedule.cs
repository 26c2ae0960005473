using Cronos;

namespace Touchpoint.Jobs;

/// <summary>A cron-driven job (UTC, five fields); <paramref name="Name"/> is part of every occurrence's key.</summary>
public sealed record RecurringJob(string Name, string Cron, string Kind)
{
    public CronExpression Expression { get; } = CronExpression.Parse(Cron);
}

/// <summary>
/// Keeps the next occurrence of every recurring job on the queue. Each occurrence is enqueued under the system
/// workspace with the key <c>recurring:{name}:{occurrenceUtc:O}</c>, so any number of nodes ticking at once
/// insert it once; only the next one is ever queued, so a node that was down does not replay a backlog.
/// </summary>
public sealed class RecurringSchedule(IEnumerable<RecurringJob> jobs, IJobStore store)
{
    readonly RecurringJob[] jobs = [.. jobs];

    public static string KeyFor(string name, DateTimeOffset occurrence) =>
        $"recurring:{name}:{occurrence.ToUniversalTime():O}";

    /// <summary>Enqueues each job's first occurrence after <paramref name="now"/>; returns how many were new.</summary>
    public Task<int> EnqueueNextAsync(DateTimeOffset now, CancellationToken ct)
    {
        var next = new List<NewJob>(jobs.Length);
        foreach (var job in jobs)
        {
            if (job.Expression.GetNextOccurrence(now.ToUniversalTime(), TimeZoneInfo.Utc) is not { } occurrence) continue;
            next.Add(new NewJob(Guid.Empty, job.Kind, KeyFor(job.Name, occurrence), occurrence));
        }
        return store.EnqueueManyAsync(next, now, ct);
    }
}
