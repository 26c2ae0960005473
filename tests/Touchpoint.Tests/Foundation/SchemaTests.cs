using Microsoft.EntityFrameworkCore;
using Npgsql;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Foundation;

public sealed class SchemaTests(PostgresCluster pg)
{
    /// <summary>Every concept of ARCHITECTURE §3 has its table.</summary>
    static readonly string[] Tables =
    [
        "workspaces", "api_keys", "contacts", "contact_channels", "consents", "consent_records", "suppressions",
        "campaigns", "campaign_plan_versions", "campaign_steps", "enrollments", "campaign_transitions",
        "scheduled_actions", "outbound_messages", "message_events", "webhook_deliveries", "inbound_messages",
        "policy_decisions", "outreach_attestations", "memory_events", "boards", "board_columns", "conversations",
        "conversation_messages", "conversation_memory_versions", "tag_events", "automation_rules", "automation_runs",
        "agents", "chat_messages", "conversation_threads", "strategy_versions", "sender_identities",
        "send_rate_limits", "email_validation_results", "review_items", "sandbox_outbox", "provider_settings",
    ];

    /// <summary>The uniqueness that makes operations idempotent.</summary>
    static readonly (string Index, string Table)[] UniqueIndexes =
    [
        ("ux_contact_channels_workspace_id_contact_id_kind_value", "contact_channels"),
        ("ux_consents_workspace_id_contact_id_channel", "consents"),
        ("ux_scheduled_actions_workspace_id_idempotency_key", "scheduled_actions"),
        ("ux_outbound_messages_workspace_id_idempotency_key", "outbound_messages"),
        ("ux_webhook_deliveries_workspace_id_provider_dedupe_key", "webhook_deliveries"),
        ("ux_enrollments_workspace_id_campaign_id_contact_id", "enrollments"),
        ("ux_contacts_workspace_id_external_id", "contacts"),
        ("ux_strategy_versions_one_active", "strategy_versions"),
    ];

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Every_table_and_idempotency_constraint_exists(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        await using var db = TouchpointDbOptions.Create(app.Provider, app.ConnectionString);
        var ct = TestContext.Current.CancellationToken;
        var tables = await db.Database.SqlQueryRaw<string>(store == Store.Postgres
            ? "SELECT tablename AS \"Value\" FROM pg_tables WHERE schemaname = 'public'"
            : "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'").ToListAsync(ct);
        foreach (var table in Tables) Assert.Contains(table, tables);

        var indexes = await db.Database.SqlQueryRaw<string>(store == Store.Postgres
            ? "SELECT i.relname AS \"Value\" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indisunique"
            : "SELECT il.name AS \"Value\" FROM sqlite_master m, pragma_index_list(m.name) il WHERE m.type = 'table' AND il.\"unique\" = 1")
            .ToListAsync(ct);
        foreach (var (index, _) in UniqueIndexes) Assert.Contains(index, indexes);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task The_same_channel_cannot_be_stored_twice_for_a_contact(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await using var db = TouchpointDbOptions.Create(app.Provider, app.ConnectionString);
        var contact = new Contact { WorkspaceId = ws.Id };
        db.Contacts.Add(contact);
        foreach (var _ in new[] { 1, 2 })
            db.ContactChannels.Add(new ContactChannel { WorkspaceId = ws.Id, ContactId = contact.Id, Kind = Domain.Vocabulary.Channel.Sms, Value = "+14155550100" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Memory_events_reject_update_and_delete_on_postgres()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Postgres, pg);
        var ws = await app.NewWorkspaceAsync();
        await using var db = TouchpointDbOptions.Create(app.Provider, app.ConnectionString);
        var ct = TestContext.Current.CancellationToken;
        db.MemoryEvents.Add(new MemoryEvent
        {
            WorkspaceId = ws.Id, ContactId = Guid.CreateVersion7(), EventType = "MESSAGE_SENT", Source = "test",
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(ct);

        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlRawAsync("UPDATE memory_events SET score_delta = 5", ct));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM memory_events", ct));
        Assert.Equal(1, await db.MemoryEvents.CountAsync(ct));
    }

    [Fact]
    public async Task Event_tables_are_range_partitioned_by_month_on_postgres()
    {
        var connectionString = await pg.CreateMigratedDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'memory_events'
            """, connection);
        var partitions = (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        Assert.True(partitions >= 13, $"expected a default partition plus a year of months, found {partitions}");
    }
}
