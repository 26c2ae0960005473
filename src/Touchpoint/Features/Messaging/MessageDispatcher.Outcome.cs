using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Providers;

namespace Touchpoint.Features.Messaging;

/// <summary>
/// Writing what a dispatch decided. Before the provider call (postponed, denied, no provider) the row is only ours and a
/// plain save writes it. Once the call began, a delivery callback that matches the message by our id (sandbox, SendGrid
/// custom args, the generic provider, Twilio's callback URL, Meta's biz_opaque_callback_data) may be applied while the
/// row is still <c>sending</c>: the outcome then moves the status column forward only (<see cref="MessageStatusOrder"/>),
/// the same rule the webhook applier follows, so a <c>delivered</c> that came first is never put back to <c>sent</c>.
/// </summary>
public sealed partial class MessageDispatcher
{
    async Task ApplyResultAsync(OutboundMessage message, ProviderSendResult result, PolicyDecision? decision, CancellationToken ct)
    {
        var now = Now();
        ApplyResult(message, result, now);
        // The contact's last touch without reading the contact, in the outcome's transaction.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (result is ProviderSendResult.Accepted)
            await db.Contacts.IgnoreQueryFilters().Where(c => c.WorkspaceId == message.WorkspaceId && c.Id == message.ContactId)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.LastTouchAt, now).SetProperty(c => c.UpdatedAt, now), ct);
        await FinishAfterSendAsync([(message, decision)], now, ct);
        await tx.CommitAsync(ct);
    }

    static void ApplyResult(OutboundMessage message, ProviderSendResult result, DateTimeOffset now)
    {
        message.SendingLeaseUntil = null;
        switch (result)
        {
            case ProviderSendResult.Accepted a:
                message.Status = a.Status;
                message.ProviderMessageId = a.ProviderMessageId;
                message.Cost = a.Cost;
                message.Currency = a.Currency;
                message.SentAt = now; // stored only where none is yet (a `sent` callback may have come first)
                break;
            case ProviderSendResult.Rejected r:
                message.Status = MessageStatus.Failed;
                message.ErrorCode = r.ErrorCode;
                message.ErrorMessage = r.ErrorMessage;
                break;
        }
    }

    async Task MarkUncertainAsync(OutboundMessage message, string why, CancellationToken ct)
    {
        message.Status = MessageStatus.Uncertain;
        message.SendingLeaseUntil = null;
        message.ErrorCode = MessageErrors.UncertainAfterCrash;
        message.ErrorMessage = why;
        await FinishAfterSendAsync([(message, null)], Now(), ct);
    }

    /// <summary>An outcome reached before any provider call: the row is ours alone, a plain save writes it.</summary>
    async Task FinishAsync(OutboundMessage message, PolicyDecision? decision, DateTimeOffset now, bool notify, CancellationToken ct)
    {
        AddHistory(message, decision, now);
        if (notify)
            foreach (var listener in listeners) await listener.OnDispatchOutcomeAsync(message, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Outcomes of provider calls (one message, or every answered one of a batch), in one transaction — the caller's, or
    /// its own. History keeps the dispatcher's word (its <c>sent</c> event and timeline entry); the status column moves
    /// forward only, and the message as the listeners see it and as saved holds the status as stored. Provider id, cost,
    /// currency and the released lease are written either way; <c>sent_at</c> only where none is stored yet; the error
    /// fields only when the status they explain was stored.
    /// </summary>
    async Task FinishAfterSendAsync(IReadOnlyList<(OutboundMessage Message, PolicyDecision? Decision)> outcomes, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        foreach (var (message, decision) in outcomes) AddHistory(message, decision, now);
        await StoreStatusForwardOnlyAsync([.. outcomes.Select(o => o.Message)], ct);
        foreach (var (message, _) in outcomes)
            foreach (var listener in listeners) await listener.OnDispatchOutcomeAsync(message, ct);
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
    }

    void AddHistory(OutboundMessage message, PolicyDecision? decision, DateTimeOffset now)
    {
        message.UpdatedAt = now;
        db.MessageEvents.Add(MessageHistory.StatusEvent(message, now, decision?.ReasonCode));
        db.MemoryEvents.Add(MessageHistory.TimelineEvent(message, decision, now));
    }

    /// <summary>
    /// One conditional UPDATE per (status, sent_at) of <paramref name="messages"/> — the status only where the stored one may
    /// advance to it, <c>sent_at</c> only where it is null — then one read of what is stored, mirrored onto the tracked rows
    /// as unchanged so the save that follows does not write those columns again. Decided on the row as stored: a callback
    /// committed between our read and this write is seen, and on PostgreSQL the UPDATE holds the row until our commit.
    /// </summary>
    async Task StoreStatusForwardOnlyAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        var workspaceId = messages[0].WorkspaceId;
        foreach (var group in messages.GroupBy(m => (m.Status, m.SentAt)))
        {
            var (status, sentAt) = group.Key;
            var from = MessageStatusOrder.StatusesThatMayAdvanceTo(status);
            var ids = group.Select(m => m.Id).ToList();
            await db.OutboundMessages.IgnoreQueryFilters().Where(m => m.WorkspaceId == workspaceId && ids.Contains(m.Id))
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, m => from.Contains(m.Status) ? status : m.Status)
                    .SetProperty(m => m.SentAt, m => m.SentAt ?? sentAt), ct);
        }
        var all = messages.Select(m => m.Id).ToList();
        var stored = await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == workspaceId && all.Contains(m.Id))
            .Select(m => new { m.Id, m.Status, m.SentAt, m.DeliveredAt, m.ErrorCode, m.ErrorMessage })
            .ToDictionaryAsync(m => m.Id, ct);
        foreach (var message in messages)
        {
            var row = stored[message.Id];
            var entry = db.Entry(message);
            if (row.Status != message.Status)
            {
                // Not ours to explain: a callback moved it elsewhere first (its own error code, if any, stays).
                AsStored(entry, m => m.ErrorCode, row.ErrorCode);
                AsStored(entry, m => m.ErrorMessage, row.ErrorMessage);
            }
            AsStored(entry, m => m.Status, row.Status);
            AsStored(entry, m => m.SentAt, row.SentAt);
            AsStored(entry, m => m.DeliveredAt, row.DeliveredAt);
        }
    }

    static void AsStored<T>(EntityEntry<OutboundMessage> entry, Expression<Func<OutboundMessage, T>> property, T value)
    {
        var p = entry.Property(property);
        p.CurrentValue = value;
        p.OriginalValue = value;
        p.IsModified = false;
    }
}
