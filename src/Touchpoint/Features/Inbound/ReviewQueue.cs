using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Keywords;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Campaigns;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Inbound;

public enum ResolveOutcome { Resolved, NotFound, NotOpen }

/// <summary>
/// Inbound items a human must decide on. Opt-out-like text opens one and pauses the contact's enrollments; the
/// reviewer then says <c>opt_out</c> (the full opt-out, as if the person had sent STOP — status <c>resolved</c>)
/// or <c>not_opt_out</c> (the paused enrollments continue — status <c>dismissed</c>).
/// </summary>
public sealed class ReviewQueue(TouchpointDb db, EnrollmentSignals enrollments, OptOutRecorder optOuts, TimeProvider clock)
{
    public const string OptOutLikeKind = "opt_out_like";
    public const string ReviewOpened = "REVIEW_OPENED", ReviewResolved = "REVIEW_RESOLVED";

    public async Task<ReviewItem> OpenAsync(InboundMessage message, Guid contactId, KeywordMatch match, CancellationToken ct)
    {
        var paused = await enrollments.PauseForReviewAsync(message.WorkspaceId, contactId, ct);
        var now = Now();
        var item = new ReviewItem
        {
            WorkspaceId = message.WorkspaceId, ContactId = contactId, InboundMessageId = message.Id, Kind = OptOutLikeKind,
            Reason = $"opt-out-like text ({match.Keyword})", PausedEnrollmentIds = [.. paused], CreatedAt = now, UpdatedAt = now,
        };
        db.ReviewItems.Add(item);
        db.MemoryEvents.Add(TimelineEvents.New(message.WorkspaceId, contactId, ReviewOpened, "inbound", message.Channel,
            new { reviewId = item.Id, inboundMessageId = message.Id, kind = OptOutLikeKind, pausedEnrollmentIds = paused }, now));
        return item;
    }

    public async Task<List<ReviewView>> ListAsync(ReviewStatus? status, int limit, CancellationToken ct)
    {
        var query = db.ReviewItems.AsNoTracking();
        if (status is { } s) query = query.Where(r => r.Status == s);
        var items = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(limit).ToListAsync(ct);
        return await ViewsAsync(items, ct);
    }

    public async Task<ReviewView?> GetAsync(Guid id, CancellationToken ct) =>
        await db.ReviewItems.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } item
            ? (await ViewsAsync([item], ct))[0] : null;

    public async Task<ResolveOutcome> ResolveAsync(Guid id, ReviewAction action, string? note, string actor, CancellationToken ct)
    {
        var item = await db.ReviewItems.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (item is null) return ResolveOutcome.NotFound;
        if (item.Status != ReviewStatus.Open) return ResolveOutcome.NotOpen;
        var inbound = item.InboundMessageId is { } mid
            ? await db.InboundMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mid, ct) : null;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = Now();
        if (action == ReviewAction.OptOut && item.ContactId is { } contactId && inbound is not null)
            await optOuts.RecordAsync(new OptOutFact(item.WorkspaceId, contactId, inbound.Channel, inbound.FromAddress, "review",
                new { reviewId = item.Id, inboundMessageId = inbound.Id, inbound.Body, decidedBy = actor, note }), ct);
        // Enrollments the opt-out did not stop (other channels) continue, as after a not_opt_out decision.
        await enrollments.ResumeAfterReviewAsync(item.WorkspaceId, item.PausedEnrollmentIds, ct);
        item.Status = action == ReviewAction.OptOut ? ReviewStatus.Resolved : ReviewStatus.Dismissed;
        item.ResolvedBy = actor;
        item.ResolvedAt = now;
        item.UpdatedAt = now;
        var detail = new { reviewId = item.Id, action = WireName.Of(action), note };
        if (item.ContactId is { } contact)
            db.MemoryEvents.Add(TimelineEvents.New(item.WorkspaceId, contact, ReviewResolved, actor, inbound?.Channel, detail, now));
        db.AuditLog.Add(new AuditEntry
        {
            WorkspaceId = item.WorkspaceId, Actor = actor, Action = "review.resolve", Target = item.Id.ToString(),
            DetailJson = System.Text.Json.JsonSerializer.Serialize(detail, System.Text.Json.JsonSerializerOptions.Web), CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ResolveOutcome.Resolved;
    }

    async Task<List<ReviewView>> ViewsAsync(List<ReviewItem> items, CancellationToken ct)
    {
        var enrollmentIds = items.SelectMany(i => i.PausedEnrollmentIds).Distinct().ToList();
        var inboundIds = items.Select(i => i.InboundMessageId).OfType<Guid>().ToList();
        var enrollmentRows = await db.Enrollments.AsNoTracking().Where(e => enrollmentIds.Contains(e.Id))
            .Select(e => new PausedEnrollmentView(e.Id, e.CampaignId, e.State, e.Paused)).ToListAsync(ct);
        var inboundRows = await db.InboundMessages.AsNoTracking().Where(m => inboundIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var byId = enrollmentRows.ToDictionary(e => e.Id);
        return [.. items.Select(i => ReviewView.From(i,
            i.InboundMessageId is { } m && inboundRows.TryGetValue(m, out var inbound) ? inbound : null,
            [.. i.PausedEnrollmentIds.Where(byId.ContainsKey).Select(id => byId[id])]))];
    }

    DateTimeOffset Now() => clock.GetUtcNow().ToUniversalTime();
}
