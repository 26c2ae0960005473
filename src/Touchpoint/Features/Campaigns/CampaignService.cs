using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;
using StepRow = Touchpoint.Data.Entities.CampaignStep;

namespace Touchpoint.Features.Campaigns;

/// <summary>Campaigns and their immutable, hashed plan versions (seed 003 campaign_plan_versions).</summary>
public sealed class CampaignService(TouchpointDb db, TimeProvider clock)
{
    public static FieldErrors Validate(CampaignRequest body, bool requireName)
    {
        var errors = new FieldErrors();
        if (requireName) errors.Required("name", body.Name);
        errors.TimeZone("timezone", body.Timezone);
        if (body.Policy is null) errors.Add("policy", "is required.");
        if (body.Steps is null || body.Steps.Count == 0) errors.Add("steps", "must contain at least one step.");
        if (errors.Count > 0) return errors;
        foreach (var (field, messages) in CampaignPlanValidator.Validate(new CampaignPlan(body.Policy!, body.Steps!)))
            foreach (var message in messages) errors.Add(field, message);
        return errors;
    }

    public async Task<CampaignView> CreateAsync(Guid workspaceId, CampaignRequest body, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var campaign = new Campaign
        {
            WorkspaceId = workspaceId, Name = body.Name!.Trim(), Timezone = body.Timezone, IsReactivation = body.IsReactivation ?? false,
            CreatedAt = now, UpdatedAt = now,
        };
        db.Campaigns.Add(campaign);
        var version = AddVersion(campaign, new CampaignPlan(body.Policy!, body.Steps!), 1, now);
        await db.SaveChangesAsync(ct);
        return CampaignView.From(campaign, version);
    }

    /// <summary>A changed plan becomes a new version; an identical one (same hash) changes nothing.</summary>
    public async Task<CampaignView?> UpdateAsync(Guid id, CampaignRequest body, CancellationToken ct)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return null;
        var current = await CurrentVersionAsync(campaign, ct);
        var plan = new CampaignPlan(body.Policy!, body.Steps!);
        var now = clock.GetUtcNow();
        if (body.Name is { Length: > 0 } name) campaign.Name = name.Trim();
        if (body.Timezone is not null) campaign.Timezone = body.Timezone;
        if (body.IsReactivation is { } reactivation) campaign.IsReactivation = reactivation;
        campaign.UpdatedAt = now;
        if (PlanHash.Compute(plan) != current.PlanHash)
            current = AddVersion(campaign, plan, current.Version + 1, now);
        await db.SaveChangesAsync(ct);
        return CampaignView.From(campaign, current);
    }

    public async Task<CampaignView?> GetAsync(Guid id, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return campaign is null ? null : CampaignView.From(campaign, await CurrentVersionAsync(campaign, ct));
    }

    public async Task<List<CampaignView>> ListAsync(CancellationToken ct)
    {
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var ids = campaigns.Select(c => c.Id).ToList();
        var versions = await db.PlanVersions.AsNoTracking().Where(v => ids.Contains(v.CampaignId)).ToListAsync(ct);
        return [.. campaigns.Select(c => CampaignView.From(c, versions.Single(v => v.CampaignId == c.Id && v.Version == c.CurrentPlanVersion)))];
    }

    /// <summary>Applies a status command; a refused one returns its reason (HTTP 409) and changes nothing.</summary>
    public async Task<(CampaignView? View, CampaignStatusChange? Change)> ChangeStatusAsync(Guid id, CampaignCommand command, CancellationToken ct)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return (null, null);
        var change = CampaignStatusTransitions.Apply(campaign.Status, command);
        if (!change.Allowed) return (null, change);
        var now = clock.GetUtcNow();
        campaign.Status = change.To;
        campaign.UpdatedAt = now;
        if (change.To == CampaignStatus.Active) campaign.ActivatedAt ??= now;
        if (change.To == CampaignStatus.Completed) campaign.CompletedAt = now;
        await db.SaveChangesAsync(ct);
        return (CampaignView.From(campaign, await CurrentVersionAsync(campaign, ct)), change);
    }

    public Task<CampaignPlanVersion> CurrentVersionAsync(Campaign campaign, CancellationToken ct) =>
        db.PlanVersions.AsNoTracking().SingleAsync(v => v.CampaignId == campaign.Id && v.Version == campaign.CurrentPlanVersion, ct);

    CampaignPlanVersion AddVersion(Campaign campaign, CampaignPlan plan, int number, DateTimeOffset now)
    {
        var version = new CampaignPlanVersion
        {
            WorkspaceId = campaign.WorkspaceId, CampaignId = campaign.Id, Version = number,
            PlanJson = JsonSerializer.Serialize(plan, PlanHash.JsonOptions), PlanHash = PlanHash.Compute(plan), CreatedAt = now,
        };
        db.PlanVersions.Add(version);
        db.CampaignSteps.AddRange(plan.Steps.Select((s, i) => new StepRow
        {
            WorkspaceId = campaign.WorkspaceId, CampaignId = campaign.Id, PlanVersionId = version.Id, StepIndex = i,
            Channel = s.Channel, Template = s.Template, TemplateKey = s.TemplateKey,
            DelayMinutes = (int)CadencePresets.DelayBeforeStep(plan, i).TotalMinutes,
            FallbackJson = JsonSerializer.Serialize(s.EffectiveFallback, PlanHash.JsonOptions),
            StopOnEvents = [.. s.StopOnEvents ?? []], ExpiresAfterMinutes = s.ExpiresAfterMinutes, Provider = s.Provider, CreatedAt = now,
        }));
        campaign.CurrentPlanVersion = number;
        campaign.PolicyJson = JsonSerializer.Serialize(plan.Policy, PlanHash.JsonOptions);
        return version;
    }
}
