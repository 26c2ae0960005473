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
        var conversation = db.Conversations.Local.FirstOrDefault(c => c.WorkspaceId == ws && c.ContactId == contactId && c.Channel == message.Channel)
            ?? await db.Conversations.IgnoreQueryFilters()
                .FirstOrDefaultAsync(c => c.WorkspaceId == ws && c.ContactId == contactId && c.Channel == message.Channel, ct);
        if (conversation is null)
        {
            var (board, column) = await boards.DefaultAsync(ws, ct);
            conversation = new Conversation
            {
                WorkspaceId = ws, BoardId = board.Id, ColumnId = column.Id, ContactId = contactId, Channel = message.Channel,
                ContactHandle = message.FromAddress, CreatedAt = now, UpdatedAt = now,
            };
            db.Conversations.Add(conversation);
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
}

public sealed record ConversationDispatchPayload(Guid ConversationId, Guid MessageId);
