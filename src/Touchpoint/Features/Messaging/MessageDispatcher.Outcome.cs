using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Touchpoint.Data;
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
        var events = new List<MessageEvent>(outcomes.Count);
        var timeline = new List<MemoryEvent>(outcomes.Count);
        foreach (var (message, decision) in outcomes)
        {
            message.UpdatedAt = now;
            events.Add(MessageHistory.StatusEvent(message, now, decision?.ReasonCode));
            timeline.Add(MessageHistory.TimelineEvent(message, decision, now));
        }
        await StoreOutcomesForwardOnlyAsync([.. outcomes.Select(o => o.Message)], now, ct);
        await db.InsertRowsAsync(events, ct);
        await db.InsertRowsAsync(timeline, ct);
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
    /// One UPDATE per (status, sent_at) of <paramref name="messages"/> (and per statement-sized chunk) writing every outcome
    /// column — the status only where the stored one may advance to it, <c>sent_at</c> only where it is null, provider id,
    /// cost and currency only where we have one — then one read of what is stored, mirrored onto the tracked rows as
    /// unchanged so the save that follows does not write them again. Decided on the row as stored: a callback committed
    /// between our read and this write is seen, and on PostgreSQL the UPDATE holds the row until our commit.
    /// </summary>
    async Task StoreOutcomesForwardOnlyAsync(IReadOnlyList<OutboundMessage> messages, DateTimeOffset now, CancellationToken ct)
    {
        var workspaceId = messages[0].WorkspaceId;
        foreach (var group in messages.GroupBy(m => (m.Status, m.SentAt)))
        {
            var (status, sentAt) = group.Key;
            var from = MessageStatusOrder.StatusesThatMayAdvanceTo(status);
            foreach (var chunk in group.Chunk(Math.Max(1, (ColumnParameter.PerStatement(db) - 4 - from.Count) / 6)))
                await StoreOutcomeChunkAsync(workspaceId, status, sentAt, from, chunk, now, ct);
        }
        var all = messages.Select(m => m.Id).ToList();
        var stored = await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == workspaceId && all.Contains(m.Id))
            .Select(m => new { m.Id, m.Status, m.SentAt, m.DeliveredAt, m.ErrorCode, m.ErrorMessage, m.ProviderMessageId, m.Cost, m.Currency })
            .ToDictionaryAsync(m => m.Id, ct);
        foreach (var message in messages)
        {
            var row = stored[message.Id];
            message.Status = row.Status;
            message.SentAt = row.SentAt;
            message.DeliveredAt = row.DeliveredAt;
            message.ErrorCode = row.ErrorCode;
            message.ErrorMessage = row.ErrorMessage;
            message.ProviderMessageId = row.ProviderMessageId;
            message.Cost = row.Cost;
            message.Currency = row.Currency;
            message.SendingLeaseUntil = null;
            message.UpdatedAt = now;
            AcceptAsStored(message);
        }
    }

    async Task StoreOutcomeChunkAsync(Guid workspaceId, MessageStatus status, DateTimeOffset? sentAt, IReadOnlyCollection<MessageStatus> from,
        OutboundMessage[] chunk, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.Database.CreateCommandInTransaction();
        Stored(cmd, "w", nameof(OutboundMessage.WorkspaceId), workspaceId);
        Stored(cmd, "status", nameof(OutboundMessage.Status), status);
        Stored(cmd, "sent", nameof(OutboundMessage.SentAt), sentAt);
        Stored(cmd, "now", nameof(OutboundMessage.UpdatedAt), now);
        var earlier = new StringBuilder();
        foreach (var (s, n) in from.Select((s, n) => (s, n)))
        {
            earlier.Append(n == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@f{n}");
            Stored(cmd, $"f{n}", nameof(OutboundMessage.Status), s);
        }
        var mayAdvance = earlier.Length == 0 ? "FALSE" : $"o.status IN ({earlier})";
        var rows = JoinedRows.Add<OutboundMessage>(db, cmd, chunk.Length,
            ("v_id", nameof(OutboundMessage.Id), n => chunk[n].Id),
            ("v_provider_message_id", nameof(OutboundMessage.ProviderMessageId), n => chunk[n].ProviderMessageId),
            ("v_cost", nameof(OutboundMessage.Cost), n => chunk[n].Cost),
            ("v_currency", nameof(OutboundMessage.Currency), n => chunk[n].Currency),
            ("v_error_code", nameof(OutboundMessage.ErrorCode), n => chunk[n].ErrorCode),
            ("v_error_message", nameof(OutboundMessage.ErrorMessage), n => chunk[n].ErrorMessage));
        cmd.CommandText = $"""
            {rows.With}
            UPDATE outbound_messages AS o SET
                status = CASE WHEN {mayAdvance} THEN @status ELSE o.status END,
                error_code = CASE WHEN {mayAdvance} OR o.status = @status THEN v.v_error_code ELSE o.error_code END,
                error_message = CASE WHEN {mayAdvance} OR o.status = @status THEN v.v_error_message ELSE o.error_message END,
                sent_at = COALESCE(o.sent_at, @sent),
                provider_message_id = COALESCE(v.v_provider_message_id, o.provider_message_id),
                cost = COALESCE(v.v_cost, o.cost),
                currency = COALESCE(v.v_currency, o.currency),
                sending_lease_until = NULL,
                updated_at = @now
            FROM {rows.From}
            WHERE o.workspace_id = @w AND {rows.KeyMatches("o.id")} AND o.id = v.v_id
            """;
        if (rows.IsColumnArrays) await cmd.PrepareAsync(ct);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
