using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Touchpoint.Data;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Orchestration;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Policy;

namespace Touchpoint.Features.Campaigns;

public sealed record SimulateRequest(int? Days);

public sealed record SimulationView(Guid CampaignId, string Basis, int ContactsTotal, SimulationResult Forecast);

/// <summary>
/// Loads what <see cref="CampaignSimulator"/> runs on: the campaign's open enrollments as they are now (or, when
/// none are enrolled yet, every contact of the workspace that no suppression blocks, as if enrolled now on the
/// current plan), each with real policy inputs per reachable channel. The campaign is simulated as active.
/// </summary>
public sealed class CampaignSimulation(TouchpointDb db, PolicyRequestBuilder requests, PlanCache plans, TimeProvider clock,
    IOptions<CampaignEngineOptions> options)
{
    static readonly EnrollmentState[] Terminal = [.. Enum.GetValues<EnrollmentState>().Where(EnrollmentStates.IsTerminal)];

    public async Task<SimulationView?> RunAsync(Guid campaignId, int days, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null) return null;
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == campaign.WorkspaceId, ct);
        var current = await db.PlanVersions.AsNoTracking()
            .SingleAsync(v => v.CampaignId == campaignId && v.Version == campaign.CurrentPlanVersion, ct);
        var now = clock.GetUtcNow().ToUniversalTime();
        var limit = options.Value.SimulationMaxContacts;

        var open = db.Enrollments.AsNoTracking().Where(e => e.CampaignId == campaignId && !Terminal.Contains(e.State));
        var enrolledTotal = await open.CountAsync(ct);
        var starts = new List<(Guid EnrollmentId, Guid ContactId, Guid PlanVersionId, EnrollmentState State, string Routing, DateTimeOffset EnrolledAt)>();
        string basis;
        int total;
        if (enrolledTotal > 0)
        {
            basis = "enrolled";
            total = enrolledTotal;
            starts.AddRange((await open.OrderBy(e => e.Id).Take(limit)
                    .Select(e => new { e.Id, e.ContactId, e.PlanVersionId, e.State, e.RoutingJson, e.CreatedAt }).ToListAsync(ct))
                .Select(e => (e.Id, e.ContactId, e.PlanVersionId, e.State, e.RoutingJson, e.CreatedAt)));
        }
        else
        {
            basis = "eligible";
            var blocked = db.Suppressions.AsNoTracking()
                .Where(s => s.ContactId != null && s.Value == null && s.Channel == null && s.RemovedAt == null
                            && s.Reason != SuppressionReason.None && (s.ExpiresAt == null || s.ExpiresAt > now))
                .Select(s => s.ContactId!.Value);
            var eligible = db.Contacts.AsNoTracking().Where(c => !blocked.Contains(c.Id) && c.Stage != LeadStage.Suppressed);
            total = await eligible.CountAsync(ct);
            starts.AddRange((await eligible.OrderBy(c => c.Id).Take(limit).Select(c => c.Id).ToListAsync(ct))
                .Select(id => (Guid.CreateVersion7(), id, current.Id, EnrollmentState.New, "{}", now)));
        }

        // The same cadence as a real run: a campaign without its own preset follows the active strategy.
        var strategy = StrategyCadence.From(await db.StrategyVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.WorkspaceId == campaign.WorkspaceId && v.Status == StrategyStatus.Active, ct));
        var contacts = new List<SimulatedContact>(starts.Count);
        foreach (var s in starts)
        {
            var plan = StrategyDefaults.Apply(await plans.GetAsync(db, campaign.WorkspaceId, s.PlanVersionId, ct), strategy);
            var kinds = await db.ContactChannels.AsNoTracking().Where(c => c.ContactId == s.ContactId).Select(c => c.Kind).ToListAsync(ct);
            var used = plan.Steps.SelectMany(step => TouchPlanner.StepRouting(step).Order).ToHashSet();
            var perChannel = new Dictionary<Channel, PolicyRequest>();
            foreach (var channel in TouchOrchestrator.Reachable(kinds).Where(used.Contains))
            {
                if (await requests.BuildAsync(s.ContactId, channel, MessagePurpose.Marketing, campaignId, now, ct) is not { } request) continue;
                // Simulated as running: a draft or paused campaign is forecast as if it were active.
                perChannel[channel] = request with
                {
                    Campaign = (request.Campaign ?? new Domain.Policy.CampaignPolicy(campaignId, CampaignStatus.Active)) with { Status = CampaignStatus.Active },
                };
            }
            contacts.Add(new SimulatedContact(s.EnrollmentId, s.ContactId, plan, s.State, TouchRouting.Parse(s.Routing), s.EnrolledAt, perChannel));
        }
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(campaign.Timezone ?? workspace.Timezone) ?? DateTimeZone.Utc;
        return new SimulationView(campaignId, basis, total, CampaignSimulator.Run(contacts, now, days, zone));
    }
}
