using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Campaigns;

namespace Touchpoint.Features.Campaigns;

/// <summary>
/// Parsed plans by plan-version id. Versions are immutable (a change is a new version), so a cached plan can
/// never be stale; the cache only bounds its size.
/// </summary>
public sealed class PlanCache
{
    const int MaxEntries = 2000;
    readonly ConcurrentDictionary<Guid, CampaignPlan> plans = new();

    public async Task<CampaignPlan> GetAsync(TouchpointDb db, Guid workspaceId, Guid planVersionId, CancellationToken ct)
    {
        if (plans.TryGetValue(planVersionId, out var plan)) return plan;
        var json = await db.PlanVersions.IgnoreQueryFilters().AsNoTracking()
            .Where(v => v.WorkspaceId == workspaceId && v.Id == planVersionId).Select(v => v.PlanJson).SingleAsync(ct);
        plan = JsonSerializer.Deserialize<CampaignPlan>(json, PlanHash.JsonOptions)!;
        if (plans.Count >= MaxEntries) plans.Clear();
        plans[planVersionId] = plan;
        return plan;
    }
}
