using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Foundation;

/// <summary>
/// <see cref="JoinedRows"/>: an UPDATE joined to many rows' values (the dispatcher's leases and outcomes) writes each row its
/// own values in their stored form — through column arrays on PostgreSQL and a VALUES list on SQLite.
/// </summary>
public sealed class JoinedRowsTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DateTimeOffset At = new(2026, 3, 11, 14, 5, 6, 789, TimeSpan.Zero);

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Each_joined_row_gets_its_own_values_and_rows_not_joined_keep_theirs(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var (ws, first, second, _) = await ModifiedRowsUpdateTests.SeedAsync(app);
        var (other, _, _, _) = await ModifiedRowsUpdateTests.SeedAsync(app);
        (Guid Id, string? Summary, ConversationStatus Status, int Count, DateTimeOffset? Last)[] rows =
        [
            (second, null, ConversationStatus.Active, 11, At.AddHours(2)),
            (first, "asked for a demo", ConversationStatus.Closed, 5, null),
        ];

        var (written, columnArrays) = await app.DbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            await using var cmd = db.Database.CreateCommandInTransaction();
            ColumnParameter.For<Conversation>(db, cmd, "w", nameof(Conversation.WorkspaceId), ws);
            var joined = JoinedRows.Add<Conversation>(db, cmd, rows.Length,
                ("v_id", nameof(Conversation.Id), n => rows[n].Id),
                ("v_summary", nameof(Conversation.Summary), n => rows[n].Summary),
                ("v_status", nameof(Conversation.Status), n => rows[n].Status),
                ("v_count", nameof(Conversation.MessageCount), n => rows[n].Count),
                ("v_last", nameof(Conversation.LastMessageAt), n => rows[n].Last));
            cmd.CommandText = $"""
                {joined.With}
                UPDATE conversations AS o SET summary = v.v_summary, status = v.v_status, message_count = v.v_count, last_message_at = v.v_last
                FROM {joined.From}
                WHERE o.workspace_id = @w AND {joined.KeyMatches("o.id")} AND o.id = v.v_id
                """;
            var count = await cmd.ExecuteNonQueryAsync(Ct);
            await tx.CommitAsync(Ct);
            return (count, joined.IsColumnArrays);
        });

        Assert.Equal(2, written);
        Assert.Equal(store == Store.Postgres, columnArrays);
        var stored = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WorkspaceId == ws || c.WorkspaceId == other).ToListAsync(Ct));
        foreach (var row in rows)
        {
            var c = stored.Single(s => s.Id == row.Id);
            Assert.Equal(row, (c.Id, c.Summary, c.Status, c.MessageCount, c.LastMessageAt));
        }
        // The other workspace's conversations were not joined: as seeded.
        Assert.All(stored.Where(c => c.WorkspaceId == other), c => Assert.Equal((null, (DateTimeOffset?)null), (c.Summary, c.LastMessageAt)));
        Assert.Equal([3, 7], stored.Where(c => c.WorkspaceId == other).Select(c => c.MessageCount).Order());
    }
}
