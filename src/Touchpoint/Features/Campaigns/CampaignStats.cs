using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Campaigns;

/// <summary>The latest policy decision taken for an enrollment (ARCHITECTURE §10 <c>lastDecision</c>).</summary>
public sealed record EnrollmentDecisionView(Guid Id, Guid? MessageId, Channel Channel, bool AllowSend, string ReasonCode,
    JsonElement RuleTrace, DateTimeOffset? NextAllowedAt, DateTimeOffset EvaluatedAt);

/// <summary>Funnel and denials of one campaign: enrollments by state, policy denials by reason code, touches by status and channel.</summary>
public sealed record CampaignStatsView(Guid CampaignId, int Enrollments, IReadOnlyDictionary<string, int> ByState,
    IReadOnlyDictionary<string, int> DenialsByReason, IReadOnlyDictionary<string, int> MessagesByStatus,
    IReadOnlyDictionary<string, int> SentByChannel);

/// <summary>Read side of a campaign: enrollments with their last decision, and the funnel.</summary>
public sealed class CampaignStats(TouchpointDb db)
{
    static readonly MessageStatus[] WentOut =
        [MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Read, MessageStatus.Uncertain];

    public async Task<List<EnrollmentView>> ListAsync(Guid campaignId, EnrollmentState? state, CancellationToken ct)
    {
        var query = db.Enrollments.AsNoTracking().Where(e => e.CampaignId == campaignId);
        if (state is { } s) query = query.Where(e => e.State == s);
        var versions = db.PlanVersions.AsNoTracking().Where(v => v.CampaignId == campaignId);
        var rows = await query.OrderBy(e => e.Id)
            .Join(versions, e => e.PlanVersionId, v => v.Id, (e, v) => new
            {
                e.Id, e.ContactId, e.State, e.StepIndex, e.AttemptsTotal, e.NextActionAt, v.Version, e.StoppedReason, e.CreatedAt,
                e.CurrentChannel, e.LastAttemptAt, e.Paused,
            })
            .ToListAsync(ct);

        var latest = new Dictionary<Guid, EnrollmentDecisionView>();
        foreach (var chunk in rows.Select(r => (Guid?)r.Id).Chunk(500))
        {
            var decisions = await db.PolicyDecisions.AsNoTracking()
                .Where(d => d.CampaignId == campaignId && chunk.Contains(d.EnrollmentId))
                .Select(d => new { d.Id, d.EnrollmentId, d.MessageId, d.Channel, d.AllowSend, d.ReasonCode, d.RuleTraceJson, d.NextAllowedAt, d.EvaluatedAt, d.CreatedAt })
                .ToListAsync(ct);
            // UUIDv7 ids break ties between decisions taken at the same (manual-clock) instant.
            foreach (var d in decisions.GroupBy(d => d.EnrollmentId!.Value)
                         .Select(g => g.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id.ToString("N"), StringComparer.Ordinal).First()))
                latest[d.EnrollmentId!.Value] = new EnrollmentDecisionView(d.Id, d.MessageId, d.Channel, d.AllowSend, d.ReasonCode,
                    JsonSerializer.Deserialize<JsonElement>(d.RuleTraceJson), d.NextAllowedAt, d.EvaluatedAt);
        }
        return [.. rows.Select(r => new EnrollmentView(r.Id, r.ContactId, r.State, r.StepIndex, r.AttemptsTotal, r.NextActionAt, r.Version,
            r.StoppedReason, r.CreatedAt, r.CurrentChannel, r.LastAttemptAt, r.Paused, latest.GetValueOrDefault(r.Id)))];
    }

    public async Task<CampaignStatsView?> StatsAsync(Guid campaignId, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct)) return null;
        var byState = await db.Enrollments.AsNoTracking().Where(e => e.CampaignId == campaignId)
            .GroupBy(e => e.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var denials = await db.PolicyDecisions.AsNoTracking().Where(d => d.CampaignId == campaignId && !d.AllowSend)
            .GroupBy(d => d.ReasonCode).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var messages = await db.OutboundMessages.AsNoTracking().Where(m => m.CampaignId == campaignId)
            .GroupBy(m => new { m.Status, m.Channel }).Select(g => new { g.Key.Status, g.Key.Channel, Count = g.Count() }).ToListAsync(ct);

        var states = Enum.GetValues<EnrollmentState>().ToDictionary(WireName.Of, s => byState.FirstOrDefault(x => x.Key == s)?.Count ?? 0);
        return new CampaignStatsView(campaignId, states.Values.Sum(), states,
            denials.OrderByDescending(d => d.Count).ThenBy(d => d.Key, StringComparer.Ordinal).ToDictionary(d => d.Key, d => d.Count),
            messages.GroupBy(m => WireName.Of(m.Status)).ToDictionary(g => g.Key, g => g.Sum(m => m.Count)),
            messages.Where(m => WentOut.Contains(m.Status)).GroupBy(m => WireName.Of(m.Channel)).ToDictionary(g => g.Key, g => g.Sum(m => m.Count)));
    }
}
