using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Crm.Boards;

/// <summary>
/// Boards and their ordered columns. The workspace's default board is its oldest one; when a workspace has
/// none, the first inbound message creates it (AI "Inbox" first, so new conversations are answered, then a
/// HUMAN_MODE "Human" column escalations land in).
/// </summary>
public sealed class BoardService(TouchpointDb db, TimeProvider clock)
{
    public async Task<Board> CreateAsync(Guid workspaceId, string name, IReadOnlyList<ColumnRequest> columns, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var board = new Board { WorkspaceId = workspaceId, Name = name.Trim(), CreatedAt = now, UpdatedAt = now };
        db.Boards.Add(board);
        for (var i = 0; i < columns.Count; i++) db.BoardColumns.Add(NewColumn(board, columns[i], columns[i].Position ?? i, now));
        await db.SaveChangesAsync(ct);
        return board;
    }

    /// <summary>Adds the column to the unit of work (the caller saves).</summary>
    public BoardColumn NewColumn(Board board, ColumnRequest request, int position, DateTimeOffset now) => new()
    {
        WorkspaceId = board.WorkspaceId, BoardId = board.Id, Name = request.Name!.Trim(), Position = position,
        Mode = WireName.Parse<ColumnMode>(request.Mode!), ConfigJson = (request.Config ?? new CrmConfig()).ToJson(),
        CreatedAt = now, UpdatedAt = now,
    };

    /// <summary>The default board, created with its two columns when missing; not saved here (inbound transaction).</summary>
    public async Task<(Board Board, BoardColumn FirstColumn)> DefaultAsync(Guid workspaceId, CancellationToken ct)
    {
        var board = db.Boards.Local.Where(b => b.WorkspaceId == workspaceId).OrderBy(b => b.CreatedAt).FirstOrDefault()
            ?? await db.Boards.IgnoreQueryFilters().Where(b => b.WorkspaceId == workspaceId)
                .OrderBy(b => b.CreatedAt).ThenBy(b => b.Id).FirstOrDefaultAsync(ct);
        if (board is not null)
        {
            var first = db.BoardColumns.Local.Where(c => c.BoardId == board.Id).OrderBy(c => c.Position).FirstOrDefault()
                ?? await db.BoardColumns.IgnoreQueryFilters().Where(c => c.WorkspaceId == workspaceId && c.BoardId == board.Id)
                    .OrderBy(c => c.Position).FirstOrDefaultAsync(ct);
            if (first is not null) return (board, first);
        }

        var now = clock.GetUtcNow();
        if (board is null)
        {
            board = new Board { WorkspaceId = workspaceId, Name = "Inbox", CreatedAt = now, UpdatedAt = now };
            db.Boards.Add(board);
        }
        var inbox = NewColumn(board, new ColumnRequest("New", WireName.Of(ColumnMode.AiMode),
            new CrmConfig(Tools: [CrmTools.TagContact, CrmTools.HandOff, CrmTools.BookMeeting],
                Guardrails: new GuardrailSettings(EscalateOnTags: ["UPSET_CUSTOMER", "LEGAL_THREAT"])), 0), 0, now);
        var human = NewColumn(board, new ColumnRequest("Human", WireName.Of(ColumnMode.HumanMode), null, 1), 1, now);
        db.BoardColumns.AddRange(inbox, human);
        return (board, inbox);
    }

    public async Task<List<BoardView>> ListAsync(Guid workspaceId, Guid? boardId, CancellationToken ct)
    {
        var boards = await db.Boards.AsNoTracking().Where(b => boardId == null || b.Id == boardId)
            .OrderBy(b => b.CreatedAt).ThenBy(b => b.Id).ToListAsync(ct);
        var defaultId = await db.Boards.AsNoTracking().OrderBy(b => b.CreatedAt).ThenBy(b => b.Id).Select(b => (Guid?)b.Id).FirstOrDefaultAsync(ct);
        var ids = boards.Select(b => b.Id).ToList();
        var columns = await db.BoardColumns.AsNoTracking().Where(c => ids.Contains(c.BoardId)).ToListAsync(ct);
        var counts = await db.Conversations.AsNoTracking().Where(c => ids.Contains(c.BoardId) && c.Status != ConversationStatus.Closed)
            .GroupBy(c => c.ColumnId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return [.. boards.Select(b =>
        {
            var cols = columns.Where(c => c.BoardId == b.Id).OrderBy(c => c.Position).ThenBy(c => c.Name)
                .Select(c => ColumnView.From(c, counts.GetValueOrDefault(c.Id))).ToList();
            return new BoardView(b.Id, b.Name, b.Id == defaultId, cols.Sum(c => c.CardCount), cols);
        })];
    }

    public async Task<BoardColumn?> AddColumnAsync(Guid boardId, ColumnRequest request, CancellationToken ct)
    {
        var board = await db.Boards.FirstOrDefaultAsync(b => b.Id == boardId, ct);
        if (board is null) return null;
        var position = request.Position ?? await db.BoardColumns.Where(c => c.BoardId == boardId).CountAsync(ct);
        var column = NewColumn(board, request, position, clock.GetUtcNow());
        db.BoardColumns.Add(column);
        await db.SaveChangesAsync(ct);
        return column;
    }

    public async Task<BoardColumn?> UpdateColumnAsync(Guid columnId, ColumnRequest request, CancellationToken ct)
    {
        var column = await db.BoardColumns.FirstOrDefaultAsync(c => c.Id == columnId, ct);
        if (column is null) return null;
        if (request.Name is { } name) column.Name = name.Trim();
        if (request.Mode is { } mode) column.Mode = WireName.Parse<ColumnMode>(mode);
        if (request.Position is { } position) column.Position = position;
        if (request.Config is { } config) column.ConfigJson = config.ToJson();
        column.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return column;
    }
}
