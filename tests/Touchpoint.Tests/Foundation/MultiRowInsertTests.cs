using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Foundation;

/// <summary>
/// <see cref="MultiRowInsert"/> writes what EF Core's own save writes: every row inserted together reads back exactly like
/// its twin saved through the change tracker (nulls, enums as wire names, instants, decimals, JSON), on both stores.
/// </summary>
public sealed class MultiRowInsertTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DateTimeOffset At = new(2026, 3, 11, 14, 5, 6, 789, TimeSpan.Zero);

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Rows_inserted_together_read_back_like_their_twins_saved_by_ef(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contactId = await NewContactAsync(app, ws.Id);
        var (campaignId, enrollmentId, messageId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());

        PolicyDecision[] Decisions() =>
        [
            new() { WorkspaceId = ws.Id, ContactId = contactId, Channel = Channel.Sms, AllowSend = true, ReasonCode = "allowed",
                RuleTraceJson = """[{"rule":"consent","verdict":"pass","detail":"opt_in on record"}]""", EvaluatedAt = At, CreatedAt = At },
            new() { WorkspaceId = ws.Id, ContactId = contactId, Channel = Channel.Whatsapp, CampaignId = campaignId,
                EnrollmentId = enrollmentId, MessageId = messageId, AllowSend = false, ReasonCode = "quiet_hours",
                NextAllowedAt = At.AddHours(9), EvaluatedAt = At.AddSeconds(1), CreatedAt = At.AddSeconds(1) },
        ];
        MessageEvent[] Events() =>
        [
            new() { WorkspaceId = ws.Id, ContactId = contactId, MessageId = messageId, CampaignId = campaignId, EventType = "status",
                Status = MessageStatus.Failed, Provider = "twilio", ProviderEventId = "SM1:failed", ErrorCode = "30006",
                PayloadJson = """{"detail":"landline","n":1.5}""", OccurredAt = At, CreatedAt = At },
            new() { WorkspaceId = ws.Id, EventType = "status", OccurredAt = At.AddMinutes(-1), CreatedAt = At },
        ];
        MemoryEvent[] Timeline() =>
        [
            new() { WorkspaceId = ws.Id, ContactId = contactId, EventType = "MESSAGE_SENT", Source = "api", Channel = Channel.Email,
                Direction = Direction.Outbound, PayloadJson = """{"messageId":"x"}""", ScoreDelta = -3, CreatedAt = At },
            new() { WorkspaceId = ws.Id, ContactId = contactId, EventType = "NOTE", Source = "human", CreatedAt = At },
        ];

        var (together, saved) = (new { D = Decisions(), E = Events(), M = Timeline() }, new { D = Decisions(), E = Events(), M = Timeline() });
        await app.DbAsync(async db =>
        {
            // PostgreSQL writes these as column arrays through unnest; a table with an array column (contacts.tags) keeps VALUES.
            Assert.Equal(store == Store.Postgres, db.WritesAsColumnArrays(typeof(PolicyDecision)));
            Assert.Equal(store == Store.Postgres, db.WritesAsColumnArrays(typeof(MessageEvent)));
            Assert.Equal(store == Store.Postgres, db.WritesAsColumnArrays(typeof(MemoryEvent)));
            Assert.False(db.WritesAsColumnArrays(typeof(Contact)));
            await db.InsertRowsAsync(together.D, Ct);
            await db.InsertRowsAsync(together.E, Ct);
            await db.InsertRowsAsync(together.M, Ct);
            Assert.Empty(db.ChangeTracker.Entries()); // inserted, not tracked
            db.AddRange(saved.D);
            db.AddRange(saved.E);
            db.AddRange(saved.M);
            return await db.SaveChangesAsync(Ct);
        });

        await app.DbAsync(async db =>
        {
            var decisions = await db.PolicyDecisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.WorkspaceId == ws.Id).ToListAsync(Ct);
            var events = await db.MessageEvents.IgnoreQueryFilters().AsNoTracking().Where(d => d.WorkspaceId == ws.Id).ToListAsync(Ct);
            var timeline = await db.MemoryEvents.IgnoreQueryFilters().AsNoTracking().Where(d => d.WorkspaceId == ws.Id && d.ContactId == contactId).ToListAsync(Ct);
            AssertTwins(together.D, saved.D, decisions);
            AssertTwins(together.E, saved.E, events);
            AssertTwins(together.M, saved.M, timeline);
            // Stored forms the filters of other queries rely on: wire names and instants compare in SQL.
            Assert.Equal(2, await db.PolicyDecisions.IgnoreQueryFilters()
                .CountAsync(d => d.WorkspaceId == ws.Id && d.Channel == Channel.Whatsapp && d.NextAllowedAt > At, Ct));
            return 0;
        });
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Thousands_of_rows_go_in_one_statement_or_in_chunks_all_or_nothing(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        MessageEvent[] Many() => [.. Enumerable.Range(0, 2500).Select(i => new MessageEvent
        {
            WorkspaceId = ws.Id, EventType = "status", ProviderEventId = $"e{i}", OccurredAt = At.AddSeconds(i), CreatedAt = At,
        })];

        await app.DbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            await db.InsertRowsAsync(Many(), Ct); // more rows than one statement's parameters allow
            return 0; // disposed without commit: rolled back
        });
        Assert.Equal(0, await app.DbAsync(db => db.MessageEvents.IgnoreQueryFilters().CountAsync(e => e.WorkspaceId == ws.Id, Ct)));

        // Without a caller's transaction they are all or nothing too: a duplicate key among them stores none (SQLite: the
        // last row's failure undoes the statements before it).
        var broken = Many();
        broken[^1].Id = broken[0].Id;
        await Assert.ThrowsAnyAsync<Exception>(() => app.DbAsync(async db => { await db.InsertRowsAsync(broken, Ct); return 0; }));
        Assert.Equal(0, await app.DbAsync(db => db.MessageEvents.IgnoreQueryFilters().CountAsync(e => e.WorkspaceId == ws.Id, Ct)));

        var rows = Many();
        await app.DbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            await db.InsertRowsAsync(rows, Ct);
            await tx.CommitAsync(Ct);
            return 0;
        });
        var stored = await app.DbAsync(db => db.MessageEvents.IgnoreQueryFilters().Where(e => e.WorkspaceId == ws.Id)
            .OrderBy(e => e.OccurredAt).Select(e => e.ProviderEventId).ToListAsync(Ct));
        Assert.Equal(rows.Select(r => r.ProviderEventId), stored);
    }

    /// <summary>
    /// Added rows of the allowed types go out set-based, principals first; a type whose row refers to an added row the
    /// save will write (a new board) is left to that save, so no INSERT runs before the row it refers to.
    /// </summary>
    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Added_rows_go_out_set_based_except_those_that_refer_to_a_row_the_save_still_adds(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var (states, stored) = await app.DbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            var board = new Board { WorkspaceId = ws.Id, Name = "Inbox", CreatedAt = At, UpdatedAt = At };
            var column = new BoardColumn { WorkspaceId = ws.Id, BoardId = board.Id, Name = "New", CreatedAt = At, UpdatedAt = At };
            var contact = new Contact { WorkspaceId = ws.Id, FirstName = "Ada", CreatedAt = At, UpdatedAt = At };
            var channel = new ContactChannel { WorkspaceId = ws.Id, ContactId = contact.Id, Kind = Channel.Sms, Value = "+14155550123", CreatedAt = At, UpdatedAt = At };
            var conversation = new Conversation { WorkspaceId = ws.Id, BoardId = board.Id, ColumnId = column.Id, ContactId = contact.Id,
                Channel = Channel.Sms, ContactHandle = "+14155550123", MessageCount = 1, CreatedAt = At, UpdatedAt = At };
            var message = new ConversationMessage { WorkspaceId = ws.Id, ConversationId = conversation.Id, Direction = Direction.Inbound,
                Role = "user", MessageType = "text", Content = "hi", RawPayloadJson = "{}", CreatedAt = At, UpdatedAt = At };
            // Dependents first, so the order comes from the model, not from the order they were added in.
            db.AddRange(message, conversation, channel, contact, column, board);

            await db.InsertAddedAsync(new HashSet<Type> { typeof(ContactChannel), typeof(Contact), typeof(Conversation), typeof(ConversationMessage) }, Ct);
            var states = new object[] { contact, channel, conversation, message, board }.Select(r => db.Entry(r).State).ToList();
            await db.SaveChangesAsync(Ct);
            await tx.CommitAsync(Ct);
            return (states, await db.ConversationMessages.IgnoreQueryFilters().AsNoTracking()
                .CountAsync(m => m.WorkspaceId == ws.Id && m.ConversationId == conversation.Id && m.Content == "hi", Ct));
        });

        Assert.Equal([EntityState.Unchanged, EntityState.Unchanged, EntityState.Added, EntityState.Added, EntityState.Added], states);
        Assert.Equal(1, stored);
        Assert.Equal(1, await app.DbAsync(db => db.ContactChannels.IgnoreQueryFilters().CountAsync(c => c.WorkspaceId == ws.Id && c.Value == "+14155550123", Ct)));
    }

    static async Task<Guid> NewContactAsync(TouchpointApp app, Guid workspaceId) => await app.DbAsync(async db =>
    {
        var contact = new Contact { WorkspaceId = workspaceId, FirstName = "Ada", CreatedAt = At, UpdatedAt = At };
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(Ct);
        return contact.Id;
    });

    /// <summary>Each row of <paramref name="together"/> is stored, and reads back equal to its twin in <paramref name="saved"/> but for the id.</summary>
    static void AssertTwins<T>(IReadOnlyList<T> together, IReadOnlyList<T> saved, List<T> stored) where T : WorkspaceFact
    {
        Assert.Equal(together.Count + saved.Count, stored.Count);
        var byId = stored.ToDictionary(r => r.Id);
        for (var n = 0; n < together.Count; n++)
        {
            var a = Normalized(byId[together[n].Id]);
            var b = Normalized(byId[saved[n].Id]);
            Assert.Equal(b, a);
        }
    }

    static string Normalized<T>(T row)
    {
        var json = JsonSerializer.SerializeToNode(row)!.AsObject();
        json.Remove("Id");
        return json.ToJsonString();
    }
}
