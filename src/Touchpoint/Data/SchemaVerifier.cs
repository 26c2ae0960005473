using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Touchpoint.Data;

namespace Touchpoint.Data;

/// <summary>
/// Compares the live schema with what the EF model and the provider's hand-written extras require, so
/// `touchpoint db verify` can name exactly what is missing (a dropped index, an unapplied migration...).
/// </summary>
public sealed class SchemaVerifier(TouchpointDb db)
{
    /// <summary>PostgreSQL objects that live only in hand-written migration SQL.</summary>
    static readonly string[] PostgresExtraIndexes =
        ["ix_scheduled_actions_ready", "ix_contacts_attributes_gin", "ix_contacts_tags_gin", "ix_conversations_facts_gin"];
    static readonly string[] PostgresPartitionedTables = ["memory_events", "message_events"];
    static readonly (string Trigger, string Table)[] PostgresTriggers =
        [("trg_memory_events_append_only", "memory_events"), ("trg_scheduled_actions_notify", "scheduled_actions")];

    public async Task<IReadOnlyList<string>> FindProblemsAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0) problems.Add($"pending migrations: {string.Join(", ", pending)}");

        var live = await LiveSchema.ReadAsync(db, ct);
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            if (!live.Columns.TryGetValue(table, out var columns))
            {
                problems.Add($"missing table {table}");
                continue;
            }
            var id = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
                if (property.GetColumnName(id) is { } column && !columns.Contains(column))
                    problems.Add($"missing column {table}.{column}");
            foreach (var index in entity.GetIndexes())
                CheckIndex(live, problems, table, index.GetDatabaseName()!, index.IsUnique);
            foreach (var key in entity.GetKeys().Where(k => !k.IsPrimaryKey()))
                CheckIndex(live, problems, table, key.GetName()!, unique: true);
        }

        if (db.Database.IsNpgsql())
        {
            foreach (var name in PostgresExtraIndexes) CheckIndex(live, problems, null, name, unique: false);
            foreach (var table in PostgresPartitionedTables)
                if (!live.Partitioned.Contains(table)) problems.Add($"table {table} is not partitioned by month");
            foreach (var (trigger, table) in PostgresTriggers)
                if (!live.Triggers.Contains(trigger)) problems.Add($"missing trigger {trigger} on {table}");
        }
        return problems;
    }

    static void CheckIndex(LiveSchema live, List<string> problems, string? table, string name, bool unique)
    {
        if (!live.Indexes.TryGetValue(name, out var found))
            problems.Add(table is null ? $"missing index {name}" : $"missing index {name} on {table}");
        else if (unique && !found.Unique)
            problems.Add($"index {name} must be unique");
    }

    sealed record LiveSchema(
        Dictionary<string, HashSet<string>> Columns,
        Dictionary<string, (string Table, bool Unique)> Indexes,
        HashSet<string> Partitioned,
        HashSet<string> Triggers)
    {
        public static async Task<LiveSchema> ReadAsync(TouchpointDb db, CancellationToken ct)
        {
            var schema = new LiveSchema([], [], [], []);
            var connection = db.Database.GetDbConnection();
            var opened = connection.State != System.Data.ConnectionState.Open;
            if (opened) await connection.OpenAsync(ct);
            try
            {
                if (db.Database.IsNpgsql()) await schema.ReadPostgresAsync(connection, ct);
                else await schema.ReadSqliteAsync(connection, ct);
            }
            finally
            {
                if (opened) await connection.CloseAsync();
            }
            return schema;
        }

        async Task ReadPostgresAsync(DbConnection c, CancellationToken ct)
        {
            await ForEachRowAsync(c, """
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema()
                """, r => Column(r.GetString(0), r.GetString(1)), ct);
            await ForEachRowAsync(c, """
                SELECT i.relname, t.relname, x.indisunique FROM pg_index x
                JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema()
                """, r => Indexes[r.GetString(0)] = (r.GetString(1), r.GetBoolean(2)), ct);
            await ForEachRowAsync(c, """
                SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()
                """, r => Partitioned.Add(r.GetString(0)), ct);
            await ForEachRowAsync(c, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
                r => Triggers.Add(r.GetString(0)), ct);
        }

        async Task ReadSqliteAsync(DbConnection c, CancellationToken ct)
        {
            var tables = new List<string>();
            await ForEachRowAsync(c, "SELECT name FROM sqlite_master WHERE type = 'table'", r => tables.Add(r.GetString(0)), ct);
            foreach (var table in tables)
            {
                await ForEachRowAsync(c, $"SELECT name FROM pragma_table_info('{table}')", r => Column(table, r.GetString(0)), ct);
                await ForEachRowAsync(c, $"SELECT name, \"unique\" FROM pragma_index_list('{table}')",
                    r => Indexes[r.GetString(0)] = (table, r.GetInt64(1) == 1), ct);
            }
        }

        void Column(string table, string column)
        {
            if (!Columns.TryGetValue(table, out var set)) Columns[table] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(column);
        }

        static async Task ForEachRowAsync(DbConnection c, string sql, Action<DbDataReader> row, CancellationToken ct)
        {
            await using var command = c.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) row(reader);
        }
    }
}
