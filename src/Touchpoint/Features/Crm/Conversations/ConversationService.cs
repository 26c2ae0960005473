using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Messaging;

namespace Touchpoint.Features.Crm.Conversations;

public enum CardOutcome { Done, NotFound, Conflict }

/// <summary>
/// What operators (API, the kanban page) do with a conversation card: look, move, override, claim, reply,
/// approve or reject AI drafts. Every outbound message goes through <see cref="MessageSubmission"/>.
/// </summary>
public sealed class ConversationService(TouchpointDb db, MessageSubmission submission, TimeProvider clock)
{
    public Task<Conversation?> FindAsync(Guid id, CancellationToken ct) => db.Conversations.FirstOrDefaultAsync(c => c.Id == id, ct);

    public async Task<List<Conversation>> ListAsync(Guid? boardId, Guid? columnId, ConversationStatus? status, CancellationToken ct) =>
        await db.Conversations.AsNoTracking()
            .Where(c => (boardId == null || c.BoardId == boardId) && (columnId == null || c.ColumnId == columnId)
                && (status == null || c.Status == status))
            .OrderByDescending(c => c.LastMessageAt).ThenBy(c => c.Id).Take(500).ToListAsync(ct);

    public async Task<ConversationView?> GetAsync(Guid id, CancellationToken ct)
    {
        var c = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return null;
        var messages = await db.ConversationMessages.AsNoTracking().Where(m => m.ConversationId == id)
            .OrderBy(m => m.Sequence).ToListAsync(ct);
        var effective = await EffectiveAsync(c, ct);
        return new ConversationView(ConversationCard.From(c), CrmConfig.Parse(c.OverridesJson), MemoryView.From(c), effective,
            [.. messages.Select(ConversationMessageView.From)]);
    }

    /// <summary>column ⊕ overrides through the one merge in <see cref="EffectiveConfig.Merge"/>.</summary>
    public async Task<EffectiveConfigView> EffectiveAsync(Conversation c, CancellationToken ct)
    {
        var column = await db.BoardColumns.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(x => x.WorkspaceId == c.WorkspaceId && x.Id == c.ColumnId, ct);
        var columnConfig = CrmConfig.Parse(column.ConfigJson);
        var overrides = CrmConfig.Parse(c.OverridesJson);
        return new EffectiveConfigView(c.Id, column.Id, column.Mode, columnConfig, overrides, EffectiveConfig.Merge(columnConfig, overrides));
    }

    /// <summary>
    /// Moves the card on a fresh read. A message filed (a reply, the agent's answer) between this request's own read and its
    /// save takes the sequence number the move note wanted; the operator's choice does not depend on it, so the move is
    /// redone rather than refused.
    /// </summary>
    public Task<CardOutcome> MoveAsync(Guid id, Guid columnId, string by, CancellationToken ct) =>
        WriteConflict.RedoOnConflictAsync(db, async () =>
        {
            var c = await FindAsync(id, ct);
            if (c is null) return CardOutcome.NotFound;
            var column = await db.BoardColumns.FirstOrDefaultAsync(x => x.Id == columnId && x.BoardId == c.BoardId, ct);
            if (column is null) return CardOutcome.Conflict;
            Move(c, column, by, reason: null);
            await db.SaveChangesAsync(ct);
            return CardOutcome.Done;
        });

    /// <summary>Moves the card (unit of work only); the note on the card says who moved it and why.</summary>
    public void Move(Conversation c, BoardColumn to, string by, string? reason)
    {
        if (c.ColumnId == to.Id) return;
        var now = clock.GetUtcNow();
        var from = c.ColumnId;
        c.ColumnId = to.Id;
        ConversationLog.Event(db, c, $"moved to '{to.Name}' by {by}" + (reason is null ? "" : $": {reason}"), now,
            new { kind = "moved", from, to = to.Id, by, reason });
    }

    public async Task<CardOutcome> SetOverridesAsync(Guid id, CrmConfig overrides, CancellationToken ct)
    {
        var c = await FindAsync(id, ct);
        if (c is null) return CardOutcome.NotFound;
        c.OverridesJson = overrides.ToJson();
        c.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return CardOutcome.Done;
    }

    /// <summary>A human takes the conversation: the AI is silent until it is released. Claimed by someone else → conflict.</summary>
    public async Task<CardOutcome> ClaimAsync(Guid id, string by, CancellationToken ct)
    {
        var c = await FindAsync(id, ct);
        if (c is null) return CardOutcome.NotFound;
        if (c.ClaimedBy is { } holder && holder != by) return CardOutcome.Conflict;
        var now = clock.GetUtcNow();
        c.ClaimedBy = by;
        c.ClaimedAt = now;
        ConversationLog.Event(db, c, $"claimed by {by}", now, new { kind = "claimed", by });
        await db.SaveChangesAsync(ct);
        return CardOutcome.Done;
    }

    /// <summary>Gives the conversation back to its column's mode; an escalation is considered handled.</summary>
    public async Task<CardOutcome> ReleaseAsync(Guid id, string by, CancellationToken ct)
    {
        var c = await FindAsync(id, ct);
        if (c is null) return CardOutcome.NotFound;
        var now = clock.GetUtcNow();
        c.ClaimedBy = null;
        c.ClaimedAt = null;
        if (c.Status == ConversationStatus.Review) c.Status = ConversationStatus.Active;
        ConversationLog.Event(db, c, $"released by {by}", now, new { kind = "released", by });
        await db.SaveChangesAsync(ct);
        return CardOutcome.Done;
    }

    /// <summary>
    /// A human's answer, through the full policy pipeline. Purpose: <c>transactional_reply</c> when the contact
    /// wrote in the last 24 hours (an answer to their own message), otherwise <c>marketing</c>. Either way an
    /// opt-out or a suppression denies it (docs/crm.md "Replies and consent").
    /// </summary>
    public async Task<SendResultView?> ReplyAsHumanAsync(Guid id, string body, string by, CancellationToken ct)
    {
        var c = await FindAsync(id, ct);
        if (c is null) return null;
        var message = ConversationLog.Append(db, c, Direction.Outbound, ConversationLog.Human, body, clock.GetUtcNow(), details: new { by });
        return await SendAsync(c, message, $"crm-human:{message.Id}", ct);
    }

    public async Task<(CardOutcome Outcome, SendResultView? Result)> ApproveDraftAsync(Guid id, Guid draftId, string? editedBody,
        string by, CancellationToken ct)
    {
        var c = await FindAsync(id, ct);
        var draft = c is null ? null : await db.ConversationMessages.FirstOrDefaultAsync(m => m.ConversationId == id && m.Id == draftId, ct);
        if (c is null || draft is null) return (CardOutcome.NotFound, null);
        if (draft.ApprovalState != ConversationLog.DraftPending) return (CardOutcome.Conflict, null);
        draft.ApprovalState = ConversationLog.DraftApproved;
        if (!string.IsNullOrWhiteSpace(editedBody)) draft.Content = editedBody;
        draft.UpdatedAt = clock.GetUtcNow();
        ConversationLog.Event(db, c, $"draft approved by {by}", draft.UpdatedAt, new { kind = "draft_approved", draftId, by, edited = editedBody is not null });
        return (CardOutcome.Done, await SendAsync(c, draft, $"crm-draft:{draft.Id}", ct));
    }

    public async Task<CardOutcome> RejectDraftAsync(Guid id, Guid draftId, string by, CancellationToken ct)
    {
        var c = await FindAsync(id, ct);
        var draft = c is null ? null : await db.ConversationMessages.FirstOrDefaultAsync(m => m.ConversationId == id && m.Id == draftId, ct);
        if (c is null || draft is null) return CardOutcome.NotFound;
        if (draft.ApprovalState != ConversationLog.DraftPending) return CardOutcome.Conflict;
        draft.ApprovalState = ConversationLog.DraftRejected;
        draft.Status = "rejected";
        draft.UpdatedAt = clock.GetUtcNow();
        ConversationLog.Event(db, c, $"draft rejected by {by}", draft.UpdatedAt, new { kind = "draft_rejected", draftId, by });
        await db.SaveChangesAsync(ct);
        return CardOutcome.Done;
    }

    /// <summary>An answer within 24 hours of the contact's own message is a reply to it; anything later is outreach.</summary>
    public static MessagePurpose ReplyPurpose(Conversation c, DateTimeOffset now) =>
        c.LastInboundAt is { } last && now - last <= TimeSpan.FromHours(24) ? MessagePurpose.TransactionalReply : MessagePurpose.Marketing;

    /// <summary>Saves the pending changes, then submits the message (the submission saves its outbox row itself).</summary>
    async Task<SendResultView> SendAsync(Conversation c, ConversationMessage message, string key, CancellationToken ct)
    {
        var purpose = ReplyPurpose(c, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        var outcome = await submission.SubmitAsync(new SendCommand(c.WorkspaceId, c.ContactId, c.Channel, purpose, key,
            Body: message.Content, ConversationId: c.Id), recordRenderFailure: true, ct);
        message.OutboundMessageId = outcome.Message?.Id;
        message.Status = outcome.Message is { } sent ? WireName.Of(sent.Status) : "invalid";
        message.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new SendResultView(ConversationMessageView.From(message), outcome.Message?.Id, message.Status, WireName.Of(purpose),
            outcome.Decision?.AllowSend, outcome.Decision?.ReasonCode ?? outcome.Message?.ErrorCode);
    }
}
