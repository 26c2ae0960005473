using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Campaigns;
using Touchpoint.Features.Contacts;

namespace Touchpoint.Features.Commands;

public sealed record DecisionSummary(Guid Id, Channel Channel, Guid? CampaignId, bool AllowSend, string ReasonCode,
    JsonElement RuleTrace, DateTimeOffset? NextAllowedAt, DateTimeOffset EvaluatedAt);

/// <summary>lead.inspect: the contact (channels, consent, suppressions, enrollments) and its latest policy decisions.</summary>
public sealed record LeadInspection(ContactView Contact, List<DecisionSummary> LastDecisions);

/// <summary>campaign.stats: the campaign's name and status around the funnel <see cref="CampaignStats"/> computes for the API.</summary>
public sealed record CampaignStatsSummary(Guid CampaignId, string Name, CampaignStatus Status, int Enrollments,
    IReadOnlyDictionary<string, int> EnrollmentsByState, IReadOnlyDictionary<string, int> MessagesByStatus, int Denials,
    IReadOnlyDictionary<string, int> DenialsByReason, IReadOnlyDictionary<string, int> SentByChannel);

/// <summary>The read-only intents, built on <see cref="ContactService"/> and plain workspace-filtered queries.</summary>
public sealed class CommandQueries(TouchpointDb db, ContactService contacts, CampaignStats campaignStats)
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

    public async Task<CampaignStatsSummary?> CampaignStatsAsync(Guid campaignId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
            .Select(c => new { c.Name, c.Status }).FirstOrDefaultAsync(ct);
        if (campaign is null || await campaignStats.StatsAsync(campaignId, ct) is not { } stats) return null;
        return new CampaignStatsSummary(campaignId, campaign.Name, campaign.Status, stats.Enrollments, stats.ByState,
            stats.MessagesByStatus, stats.DenialsByReason.Values.Sum(), stats.DenialsByReason, stats.SentByChannel);
    }
}
