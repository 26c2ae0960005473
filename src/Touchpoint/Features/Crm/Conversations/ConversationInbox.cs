using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Keywords;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Crm.Boards;
using Touchpoint.Features.Webhooks;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Crm.Conversations;

/// <summary>
/// Files every inbound reply into its conversation (one per contact and channel; a new one starts in the first
/// column of the default board) and queues the dispatcher. Runs inside the webhook transaction, so it only adds
/// rows: no model is ever called here, the <see cref="ConversationDispatchJob"/> answers later.
/// </summary>
public sealed class ConversationInbox(TouchpointDb db, BoardService boards, IOptions<SchedulerOptions> scheduler, TimeProvider clock)
    : IInboundMessageListener
{
    public async Task OnInboundAsync(InboundMessage message, KeywordMatch match, CancellationToken ct)
    {
        // A sender we cannot tie to a contact has no card: the raw message stays in inbound_messages.
        if (message.ContactId is not { } contactId) return;
        var now = clock.GetUtcNow();
        var ws = message.WorkspaceId;
        var key = new InboundSender(ws, contactId, message.Channel);
        // A conversation's contact and channel never change, so the tracked rows are searched without first scanning
        // every row the batch tracks for changes (DbSet.Local would, once per reply).
        var conversation = db.ChangeTracker.WithoutDetectingChanges<Conversation>()
                .FirstOrDefault(e => e.State != EntityState.Deleted && e.Entity.WorkspaceId == ws && e.Entity.ContactId == contactId
                    && e.Entity.Channel == message.Channel)?.Entity
            ?? (prefetched.TryGetValue(key, out var kept) ? Attached(kept)
                : await db.Conversations.IgnoreQueryFilters()
                    .FirstOrDefaultAsync(c => c.WorkspaceId == ws && c.ContactId == contactId && c.Channel == message.Channel, ct));
        if (conversation is null)
        {
            if (!inboxColumns.TryGetValue(ws, out var inbox))
            {
                var (board, column) = await boards.DefaultAsync(ws, ct);
                inboxColumns[ws] = inbox = (board.Id, column.Id);
            }
            conversation = new Conversation
            {
                WorkspaceId = ws, BoardId = inbox.Board, ColumnId = inbox.Column, ContactId = contactId, Channel = message.Channel,
                ContactHandle = message.FromAddress, CreatedAt = now, UpdatedAt = now,
            };
            db.Conversations.Add(conversation);
            if (prefetched.ContainsKey(key)) prefetched[key] = conversation;
        }
        if (conversation.Status == ConversationStatus.Closed) conversation.Status = ConversationStatus.Active;

        var filed = ConversationLog.Append(db, conversation, Direction.Inbound, ConversationLog.User, message.Body, now,
            status: "received", details: new { inboundMessageId = message.Id, keywordClass = WireName.Of(match.Class), match.Keyword });
        filed.ExternalId = message.ProviderMessageId;
        db.ScheduledActions.Add(new ScheduledAction
        {
            WorkspaceId = ws, Kind = ConversationDispatchJob.Kind, RunAt = now.ToUniversalTime(), MaxAttempts = scheduler.Value.MaxAttempts,
            IdempotencyKey = $"crm-dispatch:{filed.Id}", CreatedAt = now, UpdatedAt = now,
            PayloadJson = JsonSerializer.Serialize(new ConversationDispatchPayload(conversation.Id, filed.Id), JsonSerializerOptions.Web),
        });
    }

    // Filled by PrepareBatchAsync: each sender's conversation as the batch last saved it (null = none yet). The ingest
    // batch clears its tracker after every delivery; a kept row is attached again when its contact writes once more.
    readonly Dictionary<InboundSender, Conversation?> prefetched = [];
    // Where new cards start, per workspace, for this unit of work (a batch opens many).
    readonly Dictionary<Guid, (Guid Board, Guid Column)> inboxColumns = [];

    /// <summary>Loads the conversations of a whole ingest batch's senders with one query instead of one per reply.</summary>
    public async Task PrepareBatchAsync(IReadOnlyCollection<InboundSender> senders, CancellationToken ct)
    {
        var workspaces = senders.Select(s => s.WorkspaceId).Distinct().ToList();
        var contacts = senders.Select(s => s.ContactId).Distinct().ToList();
        foreach (var s in senders) prefetched.TryAdd(s, null);
        foreach (var c in await db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => workspaces.Contains(c.WorkspaceId) && contacts.Contains(c.ContactId)).ToListAsync(ct))
        {
            var key = new InboundSender(c.WorkspaceId, c.ContactId, c.Channel);
            if (prefetched.ContainsKey(key)) prefetched[key] = c;
        }
    }

    Conversation? Attached(Conversation? kept)
    {
        if (kept is not null && db.Entry(kept).State == EntityState.Detached) db.Conversations.Attach(kept);
        return kept;
    }
}

public sealed record ConversationDispatchPayload(Guid ConversationId, Guid MessageId);
