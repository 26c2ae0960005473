using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Crm.Boards;
using Touchpoint.Features.Crm.Conversations;

namespace Touchpoint.Dashboard;

public sealed record KanbanCard(Guid Id, Guid ColumnId, Guid ContactId, string ContactName, IReadOnlyList<string> Tags, Channel Channel,
    string Handle, ConversationStatus Status, string? ClaimedBy, string? LastMessage, string? LastRole, DateTimeOffset? LastMessageAt,
    int PendingDrafts);

public sealed record KanbanView(IReadOnlyList<BoardView> Boards, BoardView? Board, IReadOnlyList<KanbanCard> Cards);

/// <summary>
/// The kanban board (seed 002) as one read: columns from <see cref="BoardService"/>, open cards with the contact's
/// name and tags, the last real message (system notes such as "moved" are skipped) and how many AI drafts wait.
/// </summary>
public sealed class KanbanReport(TouchpointDb db, BoardService boards)
{
    const int MaxCards = 300;

    public async Task<KanbanView> BuildAsync(Guid workspaceId, Guid? boardId, CancellationToken ct)
    {
        var all = await boards.ListAsync(workspaceId, null, ct);
        var board = boardId is { } id ? all.FirstOrDefault(b => b.Id == id) : all.FirstOrDefault(b => b.IsDefault) ?? all.FirstOrDefault();
        if (board is null) return new KanbanView(all, null, []);
        var rows = await db.Conversations.AsNoTracking()
            .Where(c => c.BoardId == board.Id && c.Status != ConversationStatus.Closed)
            .OrderByDescending(c => c.LastMessageAt).ThenBy(c => c.Id).Take(MaxCards)
            .Select(c => new
            {
                c.Id, c.ColumnId, c.ContactId, c.Channel, c.ContactHandle, c.Status, c.ClaimedBy, c.LastMessageAt,
                Last = db.ConversationMessages.Where(m => m.ConversationId == c.Id && m.MessageType != "event")
                    .OrderByDescending(m => m.Sequence).Select(m => new { m.Content, m.Role }).FirstOrDefault(),
                Drafts = db.ConversationMessages.Count(m => m.ConversationId == c.Id && m.ApprovalState == ConversationLog.DraftPending),
            }).ToListAsync(ct);
        var contactIds = rows.Select(r => r.ContactId).Distinct().ToList();
        var contacts = await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
            .Select(c => new { c.Id, c.FirstName, c.LastName, c.Tags }).ToDictionaryAsync(c => c.Id, ct);
        return new KanbanView(all, board, [.. rows.Select(r =>
        {
            var contact = contacts.GetValueOrDefault(r.ContactId);
            return new KanbanCard(r.Id, r.ColumnId, r.ContactId, ContactSearch.DisplayName(contact?.FirstName, contact?.LastName),
                contact?.Tags ?? [], r.Channel, r.ContactHandle, r.Status, r.ClaimedBy, r.Last?.Content, r.Last?.Role, r.LastMessageAt, r.Drafts);
        })]);
    }

    public static string ModeLabel(ColumnMode mode) => mode switch
    {
        ColumnMode.AiMode => "AI",
        ColumnMode.HumanMode => "HUMAN",
        _ => "HYBRID",
    };
}
