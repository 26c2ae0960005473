using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Orchestration;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Campaigns;

public sealed record ReactivationResult(int Enrolled, int Reopened, int Skipped);

/// <summary>
/// The reactivation orchestrator (seed 004 reactivation-orchestrator): contacts whose <c>reactivation_after</c>
/// has passed, that no suppression blocks and that are in no open sequence, go into the workspace's active
/// reactivation campaign. Idempotent per period: the enrollment remembers the reactivation_after it was
/// (re)opened for, so running again in the same period does nothing; a later period re-opens it at step 0.
/// </summary>
public sealed class Reactivation(TouchpointDb db, EnrollmentService enrollments, EnrollmentSignals signals, PlanCache plans, TimeProvider clock)
{
    const int MaxPerRun = 5000;
    const string Actor = "reactivation";
    static readonly EnrollmentState[] Terminal = [.. Enum.GetValues<EnrollmentState>().Where(EnrollmentStates.IsTerminal)];
    static readonly EnrollmentState[] Reopenable = [EnrollmentState.Stopped, EnrollmentState.Unreachable, EnrollmentState.NotInterested];

    public async Task<ReactivationResult?> RunAsync(Guid campaignId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId && c.IsReactivation, ct);
        if (campaign is null) return null;
        var now = clock.GetUtcNow().ToUniversalTime();
        var open = db.Enrollments.Where(e => !Terminal.Contains(e.State)).Select(e => e.ContactId);
        var blocked = db.Suppressions.Where(s => s.ContactId != null && s.Value == null && s.Channel == null && s.RemovedAt == null
                                                 && s.Reason != SuppressionReason.None && (s.ExpiresAt == null || s.ExpiresAt > now))
            .Select(s => s.ContactId!.Value);
        var due = await db.Contacts.AsNoTracking()
            .Where(c => c.ReactivationAfter != null && c.ReactivationAfter <= now && c.Stage != LeadStage.Suppressed
                        && !open.Contains(c.Id) && !blocked.Contains(c.Id))
            .OrderBy(c => c.ReactivationAfter).Take(MaxPerRun)
            .Select(c => new { c.Id, Period = c.ReactivationAfter!.Value }).ToListAsync(ct);
        if (due.Count == 0) return new(0, 0, 0);

        var ids = due.Select(d => d.Id).ToList();
        var existing = (await db.Enrollments.Where(e => e.CampaignId == campaignId && ids.Contains(e.ContactId)).ToListAsync(ct))
            .ToDictionary(e => e.ContactId);
        var version = await db.PlanVersions.AsNoTracking().SingleAsync(v => v.CampaignId == campaignId && v.Version == campaign.CurrentPlanVersion, ct);
        var plan = await plans.GetAsync(db, campaign.WorkspaceId, version.Id, ct);
        var firstDue = now + CadencePresets.DelayBeforeStep(plan, 0);
        int reopened = 0, skipped = 0;
        var fresh = new List<(Guid ContactId, DateTimeOffset Period)>();
        foreach (var d in due)
        {
            if (!existing.TryGetValue(d.Id, out var e)) { fresh.Add((d.Id, d.Period)); continue; }
            var routing = TouchRouting.Parse(e.RoutingJson);
            if (routing.ReactivationPeriod == d.Period || !Reopenable.Contains(e.State)) { skipped++; continue; }
            if (!signals.Apply(e, EnrollmentCause.Resumed, Actor, new { period = d.Period }).Allowed) { skipped++; continue; }
            e.PlanVersionId = version.Id;
            e.StepIndex = 0;
            e.StoppedReason = null;
            e.NextActionAt = firstDue;
            e.RoutingJson = (routing.Reopened(d.Period) with { StepDueAt = firstDue }).ToJson();
            signals.Note(e, "reactivated", Actor, new { period = d.Period });
            reopened++;
        }
        await db.SaveChangesAsync(ct);

        var enrolled = 0;
        if (fresh.Count > 0)
        {
            var result = await enrollments.EnrollAsync(campaignId, [.. fresh.Select(f => f.ContactId)], ct);
            enrolled = result?.Enrolled ?? 0;
            skipped += result?.Rejected.Count ?? 0;
            var periods = fresh.ToDictionary(f => f.ContactId, f => f.Period);
            var created = await db.Enrollments.Where(e => e.CampaignId == campaignId && periods.Keys.Contains(e.ContactId)).ToListAsync(ct);
            foreach (var e in created.Where(e => TouchRouting.Parse(e.RoutingJson).ReactivationPeriod is null))
            {
                e.RoutingJson = new TouchRouting { ReactivationPeriod = periods[e.ContactId] }.ToJson();
                signals.Note(e, "reactivated", Actor, new { period = periods[e.ContactId] });
            }
            await db.SaveChangesAsync(ct);
        }
        return new(enrolled, reopened, skipped);
    }
}

/// <summary>Recurring (<see cref="CampaignEngineOptions.ReactivationCron"/>): runs <see cref="Reactivation"/> per workspace.</summary>
public sealed class ReactivationJob(TouchpointDb db, IServiceScopeFactory scopes) : IJobHandler
{
    public const string Kind = "campaign.reactivation";

    public async Task HandleAsync(ClaimedJob job, CancellationToken ct)
    {
        // One reactivation campaign per workspace: the oldest active one.
        var campaigns = (await db.Campaigns.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.IsReactivation && c.Status == CampaignStatus.Active)
                .Select(c => new { c.WorkspaceId, c.Id, c.CreatedAt }).ToListAsync(ct))
            .GroupBy(c => c.WorkspaceId).Select(g => g.OrderBy(c => c.CreatedAt).First());
        foreach (var c in campaigns)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(c.WorkspaceId);
            await scope.ServiceProvider.GetRequiredService<Reactivation>().RunAsync(c.Id, ct);
        }
    }
}
