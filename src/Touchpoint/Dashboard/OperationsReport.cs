using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Dashboard;

public sealed record OperationsView(
    IReadOnlyList<CountRow> JobsByStatus, IReadOnlyList<ScheduledAction> Jobs, IReadOnlyList<WebhookDelivery> Deliveries,
    IReadOnlyList<ReviewItem> OpenReviews, IReadOnlyList<SandboxOutboxItem> Outbox, IReadOnlyList<OutboundMessage> Messages);

/// <summary>What an operator on call looks at: the queue, webhooks, reviews and what was (or was not) sent.</summary>
public sealed class OperationsReport(TouchpointDb db)
{
    const int Rows = 50;

    public async Task<OperationsView> BuildAsync(JobStatus jobStatus, CancellationToken ct)
    {
        var byStatus = await db.ScheduledActions.AsNoTracking().GroupBy(j => j.Status)
            .Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var jobs = await db.ScheduledActions.AsNoTracking().Where(j => j.Status == jobStatus)
            .OrderByDescending(j => j.UpdatedAt).ThenByDescending(j => j.Id).Take(Rows).ToListAsync(ct);
        // The raw body can be large and may hold personal data; the list needs only the metadata.
        var deliveries = await db.WebhookDeliveries.AsNoTracking().OrderByDescending(d => d.Id).Take(Rows)
            .Select(d => new WebhookDelivery
            {
                Id = d.Id, WorkspaceId = d.WorkspaceId, Provider = d.Provider, Method = d.Method, Path = d.Path,
                ReceivedAt = d.ReceivedAt, SignatureVerdict = d.SignatureVerdict, ProviderEventId = d.ProviderEventId,
                Outcome = d.Outcome, Error = d.Error, ProcessedAt = d.ProcessedAt,
            }).ToListAsync(ct);
        var reviews = await db.ReviewItems.AsNoTracking().Where(r => r.Status == ReviewStatus.Open)
            .OrderByDescending(r => r.Id).Take(Rows).ToListAsync(ct);
        var outbox = await db.SandboxOutbox.AsNoTracking().OrderByDescending(o => o.SentAt).ThenByDescending(o => o.Id)
            .Take(Rows).ToListAsync(ct);
        var messages = await db.OutboundMessages.AsNoTracking().OrderByDescending(m => m.Id).Take(Rows).ToListAsync(ct);
        return new OperationsView(
            [.. Enum.GetValues<JobStatus>().Select(s => new CountRow(WireName.Of(s), byStatus.FirstOrDefault(x => x.Key == s)?.Count ?? 0))],
            jobs, deliveries, reviews, outbox, messages);
    }
}
