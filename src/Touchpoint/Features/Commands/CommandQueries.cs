using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Contacts;

namespace Touchpoint.Features.Commands;

public sealed record DecisionSummary(Guid Id, Channel Channel, Guid? CampaignId, bool AllowSend, string ReasonCode,
    JsonElement RuleTrace, DateTimeOffset? NextAllowedAt, DateTimeOffset EvaluatedAt);

/// <summary>lead.inspect: the contact (channels, consent, suppressions, enrollments) and its latest policy decisions.</summary>
public sealed record LeadInspection(ContactView Contact, List<DecisionSummary> LastDecisions);

public sealed record CampaignStatsView(Guid CampaignId, string Name, CampaignStatus Status, int Enrollments,
    Dictionary<string, int> EnrollmentsByState, Dictionary<string, int> MessagesByStatus, int Denials, Dictionary<string, int> DenialsByReason);

/// <summary>The read-only intents, built on <see cref="ContactService"/> and plain workspace-filtered queries.</summary>
public sealed class CommandQueries(TouchpointDb db, ContactService contacts)
{
    const int DecisionsShown = 5;

    public async Task<LeadInspection?> InspectLeadAsync(Guid contactId, CancellationToken ct)
    {
        if (await contacts.GetAsync(contactId, ct) is not { } contact) return null;
        var decisions = await db.PolicyDecisions.AsNoTracking().Where(d => d.ContactId == contactId)
            .OrderByDescending(d => d.EvaluatedAt).ThenByDescending(d => d.Id).Take(DecisionsShown).ToListAsync(ct);
        return new LeadInspection(contact, [.. decisions.Select(d => new DecisionSummary(d.Id, d.Channel, d.CampaignId, d.AllowSend,
            d.ReasonCode, JsonSerializer.Deserialize<JsonElement>(d.RuleTraceJson), d.NextAllowedAt, d.EvaluatedAt))]);
    }

    public async Task<CampaignStatsView?> CampaignStatsAsync(Guid campaignId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null) return null;
        var states = await db.Enrollments.AsNoTracking().Where(e => e.CampaignId == campaignId)
            .GroupBy(e => e.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var messages = await db.OutboundMessages.AsNoTracking().Where(m => m.CampaignId == campaignId)
            .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var denials = await db.PolicyDecisions.AsNoTracking().Where(d => d.CampaignId == campaignId && !d.AllowSend)
            .GroupBy(d => d.ReasonCode).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        // The funnel lists every state, zeros included, in lifecycle order.
        var byState = Enum.GetValues<EnrollmentState>().ToDictionary(WireName.Of, s => states.FirstOrDefault(x => x.Key == s)?.Count ?? 0);
        return new CampaignStatsView(campaign.Id, campaign.Name, campaign.Status, states.Sum(s => s.Count), byState,
            messages.ToDictionary(m => WireName.Of(m.Key), m => m.Count), denials.Sum(d => d.Count), denials.ToDictionary(d => d.Key, d => d.Count));
    }
}
