using Microsoft.EntityFrameworkCore;
using NodaTime;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Commands;

public sealed record QueueStatus(int Pending, int Due, int Running, int Dead, DateTimeOffset? OldestDueRunAt, double? OldestDueAgeSeconds);
public sealed record ScheduleStatus(string Name, string Cron, string Kind, DateTimeOffset? NextRunAt);
public sealed record SystemStatusView(
    DateTimeOffset Now, DateTimeOffset TodayStartsAt, QueueStatus Queue, int SendsToday, Dictionary<string, int> SendsTodayByChannel,
    int DenialsToday, Dictionary<string, int> DenialsTodayByReason, int WebhookFailuresToday, Dictionary<string, int> WebhookFailuresByOutcome,
    DateTimeOffset? LastWorkerHeartbeatAt, List<ScheduleStatus> Schedules);

/// <summary>
/// system.status (seed 004): the caller's queue and today's traffic — "today" in the workspace's time zone —
/// plus the process-wide cron map and the last heartbeat a worker completed.
/// </summary>
public sealed class SystemStatusQuery(TouchpointDb db, TimeProvider clock, IEnumerable<RecurringJob> schedules)
{
    static readonly MessageStatus[] Sent = [MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Read];
    static readonly WebhookOutcome[] Failed = [WebhookOutcome.RejectedSignature, WebhookOutcome.Failed, WebhookOutcome.Unparsed];

    public async Task<SystemStatusView> RunAsync(Guid workspaceId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var zone = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => w.Timezone).SingleAsync(ct);
        var tz = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) ?? DateTimeZone.Utc;
        var today = Instant.FromDateTimeOffset(now).InZone(tz).Date.AtStartOfDayInZone(tz).ToDateTimeOffset().ToUniversalTime();

        var jobs = db.ScheduledActions.AsNoTracking();
        var byStatus = await jobs.GroupBy(j => j.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(JobStatus s) => byStatus.FirstOrDefault(x => x.Key == s)?.Count ?? 0;
        var due = jobs.Where(j => j.Status == JobStatus.Pending && j.RunAt <= now);
        var dueCount = await due.CountAsync(ct);
        var oldest = await due.OrderBy(j => j.RunAt).Select(j => (DateTimeOffset?)j.RunAt).FirstOrDefaultAsync(ct);
        var queue = new QueueStatus(Count(JobStatus.Pending), dueCount, Count(JobStatus.Running), Count(JobStatus.Dead),
            oldest, oldest is { } o ? Math.Round((now - o).TotalSeconds, 1) : null);

        var sends = await db.OutboundMessages.AsNoTracking().Where(m => m.SentAt >= today && Sent.Contains(m.Status))
            .GroupBy(m => m.Channel).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var denials = await db.PolicyDecisions.AsNoTracking().Where(d => !d.AllowSend && d.EvaluatedAt >= today)
            .GroupBy(d => d.ReasonCode).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var webhooks = await db.WebhookDeliveries.AsNoTracking().Where(d => d.ReceivedAt >= today && Failed.Contains(d.Outcome))
            .GroupBy(d => d.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);

        // Heartbeats are system jobs (workspace Guid.Empty): process health, not tenant data.
        var heartbeat = await db.ScheduledActions.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.WorkspaceId == Guid.Empty && j.Kind == HeartbeatJob.Kind && j.Status == JobStatus.Succeeded)
            .OrderByDescending(j => j.CompletedAt).Select(j => j.CompletedAt).FirstOrDefaultAsync(ct);

        return new SystemStatusView(now, today, queue,
            sends.Sum(s => s.Count), sends.ToDictionary(s => WireName.Of(s.Key), s => s.Count),
            denials.Sum(d => d.Count), denials.ToDictionary(d => d.Key, d => d.Count),
            webhooks.Sum(w => w.Count), webhooks.ToDictionary(w => WireName.Of(w.Key), w => w.Count),
            heartbeat,
            [.. schedules.Select(s => new ScheduleStatus(s.Name, s.Cron, s.Kind, s.Expression.GetNextOccurrence(now.ToUniversalTime(), TimeZoneInfo.Utc)))]);
    }
}
