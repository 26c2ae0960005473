using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Campaigns;

/// <summary>
/// The recurring sweep (<see cref="CampaignEngineOptions.TickCron"/>): due enrollments of active campaigns,
/// oldest due first, in batches. Each enrollment runs in its own DI scope entered into its workspace, so
/// policy inputs are tenant-scoped and one enrollment's failure does not undo another's touch. After
/// <see cref="CampaignEngineOptions.MaxPerTick"/> it enqueues a continuation instead of holding its lease.
/// </summary>
public sealed partial class TouchTick(TouchpointDb db, IServiceScopeFactory scopes, IJobStore jobs, TimeProvider clock,
    IOptions<CampaignEngineOptions> options, ILogger<TouchTick> log) : IJobHandler
{
    public const string Kind = "campaign.touch_tick";

    static readonly EnrollmentState[] Terminal = [.. Enum.GetValues<EnrollmentState>().Where(EnrollmentStates.IsTerminal)];

    public async Task HandleAsync(ClaimedJob job, CancellationToken ct)
    {
        var processed = await SweepAsync(ct);
        if (processed >= options.Value.MaxPerTick)
        {
            var now = clock.GetUtcNow();
            await jobs.EnqueueAsync(new NewJob(Guid.Empty, Kind, $"touch-tick-continue:{job.Id}", now), now, ct);
        }
    }

    /// <summary>Works through what is due now; returns how many enrollments it looked at.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().ToUniversalTime();
        var seen = new HashSet<Guid>();
        while (seen.Count < o.MaxPerTick)
        {
            var active = db.Campaigns.IgnoreQueryFilters().Where(c => c.Status == CampaignStatus.Active).Select(c => c.Id);
            var batch = await db.Enrollments.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.NextActionAt != null && e.NextActionAt <= now && !e.Paused && !Terminal.Contains(e.State)
                            && active.Contains(e.CampaignId))
                .OrderBy(e => e.NextActionAt).Take(o.BatchSize)
                .Select(e => new { e.WorkspaceId, e.Id, e.NextActionAt }).ToListAsync(ct);
            var fresh = batch.Where(e => seen.Add(e.Id)).ToList();
            if (fresh.Count == 0) break;
            foreach (var e in fresh) await RunOneAsync(e.WorkspaceId, e.Id, e.NextActionAt, ct);
            if (batch.Count < o.BatchSize) break;
        }
        return seen.Count;
    }

    async Task RunOneAsync(Guid workspaceId, Guid enrollmentId, DateTimeOffset? expected, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
            await scope.ServiceProvider.GetRequiredService<TouchOrchestrator>().ProcessAsync(workspaceId, enrollmentId, expected, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Its claim lease runs out and a later sweep retries it; the outbox key keeps a retry from double-sending.
            LogEnrollmentFailed(log, e, enrollmentId);
        }
    }

    [LoggerMessage(LogLevel.Error, "Touch orchestration of enrollment {EnrollmentId} failed; it is retried after its claim lease.")]
    static partial void LogEnrollmentFailed(ILogger logger, Exception e, Guid enrollmentId);
}

/// <summary>One enrollment's next touch, due now (after a failure, a denial or a resume) — no need to wait for the sweep.</summary>
public sealed class TouchRunJob(TouchOrchestrator orchestrator) : IJobHandler
{
    public const string Kind = "campaign.touch";

    public static ScheduledAction For(Enrollment e, string touchKey, DateTimeOffset now) => new()
    {
        WorkspaceId = e.WorkspaceId, Kind = Kind, RunAt = now, IdempotencyKey = $"run:{touchKey}",
        PayloadJson = JsonSerializer.Serialize(new TouchRunPayload(e.Id)), CreatedAt = now, UpdatedAt = now,
    };

    public async Task HandleAsync(ClaimedJob job, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<TouchRunPayload>(job.PayloadJson) ?? throw new PermanentJobFailure("empty touch payload");
        await orchestrator.ProcessAsync(job.WorkspaceId, payload.EnrollmentId, expected: null, ct);
    }
}

public sealed record TouchRunPayload(Guid EnrollmentId);
