using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Data;

/// <summary>
/// Inserts many rows of one entity type with one statement instead of EF Core's one INSERT per row (batched into one
/// round trip, but each parsed, planned and executed on its own); on the hot batch paths — a dispatch batch's decisions
/// and history, a webhook burst's rows — that per-statement work was most of PostgreSQL's CPU (docs/benchmarks.md).
/// Columns, names and stored forms come from the EF model: each value goes through its property's type mapping and
/// converter, exactly as <c>SaveChanges</c> would write it, on both stores. On PostgreSQL the rows go as one array per
/// column through <c>unnest</c>, a statement prepared once per connection (<see cref="InsertAsColumnArraysAsync"/>), or —
/// for a table with an array column — as <c>INSERT … VALUES (…), (…)</c> per chunk; on SQLite through one prepared
/// single-row INSERT (<see cref="InsertOneByOneAsync"/>): no server, no round trip. The rows are not tracked afterwards.
/// The caller's transaction, if any, is used; rows that need several statements without one get their own.
/// </summary>
public static class MultiRowInsert
{
    public static Task InsertRowsAsync<T>(this DbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity of this model");
        return db.InsertRowsAsync(entityType, rows, ct);
    }

    /// <summary>Whether rows of <paramref name="entityType"/> go as column arrays through <c>unnest</c> (PostgreSQL, no array column).</summary>
    public static bool WritesAsColumnArrays(this DbContext db, Type entityType)
    {
        ArgumentNullException.ThrowIfNull(db);
        var type = db.Model.FindEntityType(entityType) ?? throw new InvalidOperationException($"{entityType.Name} is not an entity of this model");
        return AsColumnArrays(db, Columns(type));
    }

    static bool AsColumnArrays(DbContext db, List<Column> columns) =>
        db.Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite" && columns.All(c => ColumnArrays.Supports(c.Property));

    /// <summary>The same for rows whose entity type is only known at run time (tracked entries of several types).</summary>
    public static async Task InsertRowsAsync(this DbContext db, IEntityType entityType, IReadOnlyList<object> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entityType);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return;
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = Columns(entityType);
        if (columns.Any(c => c.Property.IsShadowProperty()))
            throw new NotSupportedException($"{entityType.ClrType.Name} has shadow properties; save it through the change tracker");

        var sql = db.GetService<ISqlGenerationHelper>();
        var into = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) ";
        var head = into + "VALUES ";
        var perChunk = Math.Max(1, ColumnParameter.PerStatement(db) / columns.Count);
        var sqlite = db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";
        var byArrays = AsColumnArrays(db, columns);
        var statements = sqlite ? rows.Count : byArrays ? 1 : (rows.Count + perChunk - 1) / perChunk;

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            // Several statements are all or nothing, like one save: in the caller's transaction, else in their own.
            await using var tx = statements > 1 && db.Database.CurrentTransaction is null
                ? await db.Database.BeginTransactionAsync(ct) : null;
            if (sqlite) await InsertOneByOneAsync(db, head, columns, rows, ct);
            else if (byArrays) await InsertAsColumnArraysAsync(db, into, columns, rows, ct);
            else await InsertInChunksAsync(db, head, columns, rows, perChunk, ct);
            if (tx is not null) await tx.CommitAsync(ct);
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    static async Task InsertInChunksAsync(DbContext db, string head, List<Column> columns, IReadOnlyList<object> rows, int perChunk,
        CancellationToken ct)
    {
        for (var start = 0; start < rows.Count; start += perChunk)
        {
            await using var command = db.Database.CreateCommandInTransaction();
            var text = new StringBuilder(head);
            var n = 0;
            for (var r = start; r < Math.Min(rows.Count, start + perChunk); r++)
            {
                text.Append(r == start ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var name = "@p" + n.ToString(CultureInfo.InvariantCulture);
                    n++;
                    text.Append(c == 0 ? "" : ", ").Append(name);
                    var column = columns[c];
                    command.Parameters.Add(column.Mapping.CreateParameter(command, name,
                        column.Property.GetGetter().GetClrValueUsingContainingEntity(rows[r]), column.Property.IsNullable));
                }
                text.Append(')');
            }
            command.CommandText = text.ToString();
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// SQLite: one single-row statement, prepared once and executed per row. There is no round trip to save, and a
    /// multi-row statement is parsed anew for every chunk and binds each named parameter by a linear scan of all of them.
    /// </summary>
    static async Task InsertOneByOneAsync(DbContext db, string head, List<Column> columns, IReadOnlyList<object> rows, CancellationToken ct)
    {
        await using var command = db.Database.CreateCommandInTransaction();
        var names = columns.Select((_, c) => "@p" + c.ToString(CultureInfo.InvariantCulture)).ToArray();
        command.CommandText = head + "(" + string.Join(", ", names) + ")";
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            for (var c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                command.Parameters.Add(column.Mapping.CreateParameter(command, names[c],
                    column.Property.GetGetter().GetClrValueUsingContainingEntity(row), column.Property.IsNullable));
            }
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// PostgreSQL: one array parameter per column and <c>INSERT … SELECT * FROM unnest(@p0::uuid[], @p1::text[], …)</c>. Its
    /// text is the same for any number of rows, so it is prepared once per pooled connection (Npgsql keeps prepared
    /// statements across pool returns) and then neither parsed nor planned again, where a VALUES list of rows × columns
    /// parameters was parsed and planned for every batch; Npgsql also resolves one type per column instead of per value.
    /// A schema change only re-plans it: an INSERT without RETURNING has no result shape to go stale.
    /// </summary>
    static async Task InsertAsColumnArraysAsync(DbContext db, string into, List<Column> columns, IReadOnlyList<object> rows, CancellationToken ct)
    {
        await using var command = db.Database.CreateCommandInTransaction();
        var arrays = new StringBuilder();
        for (var c = 0; c < columns.Count; c++)
        {
            var getter = columns[c].Property.GetGetter();
            arrays.Append(c == 0 ? "" : ", ").Append(ColumnArrays.Add(command, "p" + c.ToString(CultureInfo.InvariantCulture),
                columns[c].Property, rows.Select(getter.GetClrValueUsingContainingEntity)));
        }
        command.CommandText = into + "SELECT * FROM unnest(" + arrays + ")";
        await command.PrepareAsync(ct);
        await command.ExecuteNonQueryAsync(ct);
    }

    static List<Column> Columns(IEntityType entityType)
    {
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        return [.. entityType.GetProperties()
            .Where(p => p.GetColumnName(table) is not null && p.GetComputedColumnSql(table) is null)
            .Select(p => new Column(p, p.GetColumnName(table)!, p.GetRelationalTypeMapping()))];
    }

    sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping);
}
