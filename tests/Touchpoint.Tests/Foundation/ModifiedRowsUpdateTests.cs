using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Foundation;

/// <summary>
/// <see cref="ModifiedRowsUpdate"/> writes what EF Core's save would: only the columns that changed, each row guarded by its
/// concurrency token (docs/decisions/0026) — on both stores, whose statements differ (set-based on PostgreSQL, one prepared
/// row at a time on SQLite).
/// </summary>
public sealed class ModifiedRowsUpdateTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DateTimeOffset At = new(2026, 3, 11, 14, 5, 6, 789, TimeSpan.Zero);
    static readonly HashSet<Type> Conversations = [typeof(Conversation)];

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Changed_columns_are_written_and_a_column_another_writer_moved_meanwhile_is_kept(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var (ws, first, second, doneColumn) = await SeedAsync(app);

        await app.DbAsync(async reader =>
        {
            var rows = await reader.Conversations.IgnoreQueryFilters().Where(c => c.WorkspaceId == ws).OrderBy(c => c.ContactHandle).ToListAsync(Ct);
            // Another writer moves the first card after this one read it: not an append, so its token stays as it was.
            await app.DbAsync(async mover =>
            {
                var card = await mover.Conversations.IgnoreQueryFilters().FirstAsync(c => c.WorkspaceId == ws && c.Id == first, Ct);
                card.ColumnId = doneColumn;
                return await mover.SaveChangesAsync(Ct);
            });
            rows[0].MessageCount++;
            rows[0].LastInboundAt = At.AddMinutes(5);
            rows[0].UpdatedAt = At.AddMinutes(5);
            rows[1].MessageCount++;
            rows[1].Status = ConversationStatus.Active; // a second set of changed columns: its own statement
            rows[1].UpdatedAt = At.AddMinutes(6);

            await using var tx = await reader.Database.BeginTransactionAsync(Ct);
            await reader.UpdateModifiedAsync(Conversations, Ct);
            Assert.All(rows, r => Assert.Equal(EntityState.Unchanged, reader.Entry(r).State)); // the save after it writes nothing more
            await tx.CommitAsync(Ct);
            return 0;
        });

        var stored = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().AsNoTracking().Where(c => c.WorkspaceId == ws)
            .OrderBy(c => c.ContactHandle).ToListAsync(Ct));
        Assert.Equal((first, 4, At.AddMinutes(5), doneColumn), (stored[0].Id, stored[0].MessageCount, stored[0].LastInboundAt, stored[0].ColumnId));
        Assert.Equal(At.AddMinutes(5), stored[0].UpdatedAt);
        Assert.Equal((second, 8, ConversationStatus.Active, At.AddMinutes(6)), (stored[1].Id, stored[1].MessageCount, stored[1].Status, stored[1].UpdatedAt));
        Assert.Null(stored[1].LastInboundAt);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_row_whose_token_moved_since_it_was_read_fails_the_call_and_the_newer_write_stays(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var (ws, first, second, _) = await SeedAsync(app);

        var failure = await Record.ExceptionAsync(() => app.DbAsync(async stale =>
        {
            var rows = await stale.Conversations.IgnoreQueryFilters().Where(c => c.WorkspaceId == ws).OrderBy(c => c.ContactHandle).ToListAsync(Ct);
            // A reply lands on the second conversation after this writer read it: its count (the token) moves.
            await app.DbAsync(async fresh =>
            {
                var card = await fresh.Conversations.IgnoreQueryFilters().FirstAsync(c => c.WorkspaceId == ws && c.Id == second, Ct);
                card.MessageCount++;
                card.Summary = "newer";
                return await fresh.SaveChangesAsync(Ct);
            });
            foreach (var row in rows)
            {
                row.MessageCount++;
                row.Summary = "stale";
            }
            await using var tx = await stale.Database.BeginTransactionAsync(Ct);
            await stale.UpdateModifiedAsync(Conversations, Ct);
            await tx.CommitAsync(Ct);
            return 0;
        }));

        Assert.IsType<DbUpdateConcurrencyException>(failure);
        Assert.True(WriteConflict.Is(failure!)); // what the webhook batch and the redo paths recognise
        var stored = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().AsNoTracking().Where(c => c.WorkspaceId == ws)
            .OrderBy(c => c.ContactHandle).Select(c => new { c.Id, c.MessageCount, c.Summary }).ToListAsync(Ct));
        // Nothing of the stale call was committed: the first row is as seeded, the second as the newer writer left it.
        Assert.Equal([new { Id = first, MessageCount = 3, Summary = (string?)null }, new { Id = second, MessageCount = 8, Summary = (string?)"newer" }], stored);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Rows_with_a_column_that_cannot_be_unnested_are_written_one_by_one_with_the_same_result(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var ids = await app.DbAsync(async db =>
        {
            var contacts = Enumerable.Range(0, 3).Select(n => new Contact
                { WorkspaceId = ws.Id, FirstName = $"Ana {n}", Tags = ["lead"], CreatedAt = At, UpdatedAt = At }).ToList();
            db.Contacts.AddRange(contacts);
            await db.SaveChangesAsync(Ct);
            return contacts.Select(c => c.Id).ToList();
        });

        await app.DbAsync(async db =>
        {
            var rows = await db.Contacts.IgnoreQueryFilters().Where(c => c.WorkspaceId == ws.Id).ToListAsync(Ct);
            foreach (var row in rows.Where(r => r.Id != ids[1]))
            {
                // contacts.tags is text[] on PostgreSQL: an array column has no column array of its own to be unnested from.
                row.Tags = [.. row.Tags, "replied"];
                row.Stage = LeadStage.Engaged;
            }
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            await db.UpdateModifiedAsync(new HashSet<Type> { typeof(Contact) }, Ct);
            Assert.All(rows, r => Assert.Equal(EntityState.Unchanged, db.Entry(r).State));
            await tx.CommitAsync(Ct);
            return 0;
        });

        var stored = await app.DbAsync(db => db.Contacts.IgnoreQueryFilters().AsNoTracking().Where(c => c.WorkspaceId == ws.Id).ToListAsync(Ct));
        Assert.Equal(["lead", "replied"], stored.Single(c => c.Id == ids[0]).Tags);
        Assert.Equal(LeadStage.Engaged, stored.Single(c => c.Id == ids[2]).Stage);
        var untouched = stored.Single(c => c.Id == ids[1]);
        Assert.Equal(["lead"], untouched.Tags);
        Assert.Equal(LeadStage.New, untouched.Stage);
    }

    /// <summary>A workspace with a two-column board and two conversations (message counts 3 and 7, the second closed).</summary>
    internal static async Task<(Guid Workspace, Guid First, Guid Second, Guid DoneColumn)> SeedAsync(TouchpointApp app)
    {
        var ws = await app.NewWorkspaceAsync();
        return await app.DbAsync(async db =>
        {
            var board = new Board { WorkspaceId = ws.Id, Name = "Inbox", CreatedAt = At, UpdatedAt = At };
            var open = new BoardColumn { WorkspaceId = ws.Id, BoardId = board.Id, Name = "New", CreatedAt = At, UpdatedAt = At };
            var done = new BoardColumn { WorkspaceId = ws.Id, BoardId = board.Id, Name = "Done", Position = 1, CreatedAt = At, UpdatedAt = At };
            Conversation Card(string handle, int count, ConversationStatus status)
            {
                var contact = new Contact { WorkspaceId = ws.Id, FirstName = handle, CreatedAt = At, UpdatedAt = At };
                db.Contacts.Add(contact);
                return new Conversation { WorkspaceId = ws.Id, BoardId = board.Id, ColumnId = open.Id, ContactId = contact.Id, Channel = Channel.Sms,
                    ContactHandle = handle, MessageCount = count, Status = status, CreatedAt = At, UpdatedAt = At };
            }
            var (first, second) = (Card("+14155550101", 3, ConversationStatus.Active), Card("+14155550102", 7, ConversationStatus.Closed));
            db.AddRange(board, open, done, first, second);
            await db.SaveChangesAsync(Ct);
            return (ws.Id, first.Id, second.Id, done.Id);
        });
    }
}
