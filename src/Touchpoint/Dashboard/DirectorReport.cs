using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Dashboard;

public sealed record CountRow(string Label, long Count);

public sealed record ChannelOutcomes(string Channel, IReadOnlyList<CountRow> ByStatus)
{
    public long Total => ByStatus.Sum(s => s.Count);
}

public sealed record CampaignFunnel(Guid CampaignId, string Name, string Status, IReadOnlyList<CountRow> ByState);

public sealed record DirectorView(
    IReadOnlyList<ChannelOutcomes> SendsByChannel, long Replies, long OptOuts, IReadOnlyList<CountRow> DenialsByReason,
    long QueueDepth, long QueueDue, DateTimeOffset? OldestPendingRunAt, long DeadJobs,
    IReadOnlyList<CountRow> ProviderErrors, IReadOnlyList<CampaignFunnel> Funnels);

/// <summary>
/// The director's day in a handful of grouped queries. Counts are per workspace (the query filter) and per
/// local day: sends by created_at, replies by received_at, opt-outs by captured_at, denials by evaluated_at.
/// </summary>
public sealed class DirectorReport(TouchpointDb db)
{
    static readonly MessageStatus[] ProviderFailures = [MessageStatus.Failed, MessageStatus.Undelivered];

    /// <summary>The funnel's forward path; other states (stopped, unreachable…) are listed after it.</summary>
    public static readonly EnrollmentState[] FunnelOrder =
    [
        EnrollmentState.New, EnrollmentState.Attempting, EnrollmentState.Engaged, EnrollmentState.Qualified, EnrollmentState.Booked,
        EnrollmentState.NotInterested, EnrollmentState.Stopped, EnrollmentState.Unreachable, EnrollmentState.DoNotContact,
    ];

    public async Task<DirectorView> BuildAsync(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, CancellationToken ct)
    {
        var sends = await db.OutboundMessages.AsNoTracking().Where(m => m.CreatedAt >= start && m.CreatedAt < end)
            .GroupBy(m => new { m.Channel, m.Status }).Select(g => new { g.Key.Channel, g.Key.Status, Count = g.LongCount() })
            .ToListAsync(ct);
        var byChannel = sends.GroupBy(s => s.Channel).OrderBy(g => g.Key)
            .Select(g => new ChannelOutcomes(WireName.Of(g.Key),
                [.. g.OrderBy(s => s.Status).Select(s => new CountRow(WireName.Of(s.Status), s.Count))]))
            .ToList();

        var replies = await db.InboundMessages.LongCountAsync(m => m.ReceivedAt >= start && m.ReceivedAt < end, ct);
        var optOuts = await db.ConsentRecords.LongCountAsync(
            r => r.Status == ConsentStatus.OptOut && r.CapturedAt >= start && r.CapturedAt < end, ct);
        var denials = await db.PolicyDecisions.AsNoTracking()
            .Where(d => !d.AllowSend && d.EvaluatedAt >= start && d.EvaluatedAt < end)
            .GroupBy(d => d.ReasonCode).Select(g => new CountRow(g.Key, g.LongCount())).ToListAsync(ct);

        var pending = db.ScheduledActions.AsNoTracking().Where(j => j.Status == JobStatus.Pending);
        var depth = await pending.LongCountAsync(ct);
        var due = await pending.LongCountAsync(j => j.RunAt <= now, ct);
        var oldest = await pending.OrderBy(j => j.RunAt).Select(j => (DateTimeOffset?)j.RunAt).FirstOrDefaultAsync(ct);
        var dead = await db.ScheduledActions.LongCountAsync(j => j.Status == JobStatus.Dead, ct);

        var errors = await db.OutboundMessages.AsNoTracking()
            .Where(m => ProviderFailures.Contains(m.Status) && m.CreatedAt >= start && m.CreatedAt < end)
            .GroupBy(m => m.ErrorCode).Select(g => new { Code = g.Key, Count = g.LongCount() }).ToListAsync(ct);

        return new DirectorView(byChannel, replies, optOuts, [.. denials.OrderByDescending(d => d.Count).ThenBy(d => d.Label)],
            depth, due, oldest, dead,
            [.. errors.Select(e => new CountRow(e.Code ?? "(no code)", e.Count)).OrderByDescending(e => e.Count)],
            await FunnelsAsync(ct));
    }

    async Task<List<CampaignFunnel>> FunnelsAsync(CancellationToken ct)
    {
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.Name, c.Status }).ToListAsync(ct);
        var counts = await db.Enrollments.AsNoTracking().GroupBy(e => new { e.CampaignId, e.State })
            .Select(g => new { g.Key.CampaignId, g.Key.State, Count = g.LongCount() }).ToListAsync(ct);
        return [.. campaigns.Select(c => new CampaignFunnel(c.Id, c.Name, WireName.Of(c.Status),
            [.. FunnelOrder.Select(s => new CountRow(WireName.Of(s),
                counts.Where(x => x.CampaignId == c.Id && x.State == s).Sum(x => x.Count)))]))];
    }
}
