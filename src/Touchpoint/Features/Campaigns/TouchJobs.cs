using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Campaigns;

/// <summary>
/// The recurring sweep (<see cref="CampaignEngineOptions.TickCron"/>): due enrollments of active campaigns, oldest
/// due first. Each batch is claimed in one statement (<see cref="EnrollmentClaims"/>), then worked per workspace in
/// its own DI scope entered into that workspace, with its inputs loaded set-based and its touches committed in one
/// transaction (<see cref="TouchOrchestrator.RunClaimedAsync"/>). A batch that fails is released and retried one
/// enrollment at a time, so one bad enrollment cannot hold back the others. After
/// <see cref="CampaignEngineOptions.MaxPerTick"/> it enqueues a continuation instead of holding its lease.
/// </summary>
public sealed partial class TouchTick(TouchpointDb db, IServiceScopeFactory scopes, IJobStore jobs, TimeProvider clock,
    IOptions<CampaignEngineOptions> options, ILogger<TouchTick> log) : IJobHandler
{
    public const string Kind = "campaign.touch_tick";

    public async Task HandleAsync(ClaimedJob job, CancellationToken ct)
    {
        var processed = await SweepAsync(ct);
        if (processed >= options.Value.MaxPerTick)
        {
            var now = clock.GetUtcNow();
            await jobs.EnqueueAsync(new NewJob(Guid.Empty, Kind, $"touch-tick-continue:{job.Id}", now), now, ct);
        }
    }

    /// <summary>Works through what is due now; returns how many enrollments it claimed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().ToUniversalTime();
        var processed = 0;
        while (processed < o.MaxPerTick)
        {
            var size = Math.Min(o.BatchSize, o.MaxPerTick - processed);
            var claimed = await EnrollmentClaims.ClaimDueAsync(db, now, now + o.ClaimLease, size, ct);
            if (claimed.Count == 0) break;
            foreach (var group in claimed.GroupBy(c => c.WorkspaceId))
                await RunBatchAsync(group.Key, [.. group.Select(c => c.Id)], now, ct);
            processed += claimed.Count;
            if (claimed.Count < size) break;
        }
        return processed;
    }

    async Task RunBatchAsync(Guid workspaceId, List<Guid> ids, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
            await scope.ServiceProvider.GetRequiredService<TouchOrchestrator>().RunClaimedAsync(workspaceId, ids, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Nothing of the batch was committed: release its claims and work them one by one (the outbox key keeps a
            // touch that did get through from being issued twice).
            LogBatchFailed(log, e, ids.Count, workspaceId);
            await db.Enrollments.IgnoreQueryFilters()
                .Where(x => x.WorkspaceId == workspaceId && ids.Contains(x.Id) && x.NextActionAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextActionAt, now), ct);
            foreach (var id in ids) await RunOneAsync(workspaceId, id, ct);
        }
    }

    async Task RunOneAsync(Guid workspaceId, Guid enrollmentId, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
            await scope.ServiceProvider.GetRequiredService<TouchOrchestrator>().ProcessAsync(workspaceId, enrollmentId, expected: null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Its claim lease runs out and a later sweep retries it; the outbox key keeps a retry from double-sending.
            LogEnrollmentFailed(log, e, enrollmentId);
        }
    }

    [LoggerMessage(LogLevel.Warning, "A touch batch of {Count} enrollments in workspace {WorkspaceId} failed; retrying them one by one.")]
    static partial void LogBatchFailed(ILogger logger, Exception e, int count, Guid workspaceId);

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
