using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Data;

public static class ModifiedRowsUpdate
{
    /// <summary>
    /// Writes the tracked rows of the <paramref name="allowed"/> types that were changed, guarded by their concurrency
    /// tokens exactly as <c>SaveChanges</c> would (a row whose token moved since it was read is not written, and the call
    /// throws <see cref="DbUpdateConcurrencyException"/>), and marks them unchanged so the save that follows skips them.
    /// EF sends one UPDATE per row, which PostgreSQL parses and plans every time (a webhook burst's conversation counters
    /// were its most expensive statement, docs/benchmarks.md); here rows that changed the same columns share one
    /// UPDATE joined to their values as column arrays on PostgreSQL (one prepared statement), and one prepared single-row UPDATE on
    /// SQLite (no round trip to save there) or for a row with a column that cannot be unnested.
    /// Only changed columns are written, so a column another writer moved meanwhile is left alone. Call it inside the
    /// transaction of that save.
    /// </summary>
    public static async Task UpdateModifiedAsync(this DbContext db, IReadOnlySet<Type> allowed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(allowed);
        var changed = new List<EntityEntry>();
        foreach (var entry in db.ChangeTracker.WithoutDetectingChanges<object>())
        {
            if (!allowed.Contains(entry.Metadata.ClrType) || entry.State is not (EntityState.Unchanged or EntityState.Modified)) continue;
            // Only these rows are scanned for changed properties, not everything the unit of work tracks.
            entry.DetectChanges();
            if (entry.State == EntityState.Modified) changed.Add(entry);
        }
        foreach (var group in changed.GroupBy(e => (e.Metadata, Columns: string.Join(',', e.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name)))))
        {
            var rows = group.ToList();
            var shape = new UpdateShape(db, group.Key.Metadata, [.. rows[0].Properties.Where(p => p.IsModified).Select(p => p.Metadata)]);
            var updated = shape.AsColumnArrays ? await shape.SetBasedAsync(rows, ct) : await shape.OneByOneAsync(rows, ct);
            if (updated != rows.Count)
                throw new DbUpdateConcurrencyException(
                    $"{rows.Count - updated} of {rows.Count} {group.Key.Metadata.ClrType.Name} row(s) changed since they were read; roll the transaction back and redo the work on fresh reads.");
            foreach (var entry in rows)
            {
                entry.OriginalValues.SetValues(entry.CurrentValues);
                entry.State = EntityState.Unchanged;
            }
        }
    }

    /// <summary>The statement for rows of one type that changed the same columns: keyed by primary key, guarded by tokens.</summary>
    sealed class UpdateShape(DbContext db, IEntityType type, IReadOnlyList<IProperty> set)
    {
        readonly IReadOnlyList<IProperty> keys = type.FindPrimaryKey()!.Properties;
        readonly IReadOnlyList<IProperty> tokens = [.. type.GetProperties().Where(p => p.IsConcurrencyToken)];
        readonly StoreObjectIdentifier table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        readonly ISqlGenerationHelper sql = db.GetService<ISqlGenerationHelper>();

        string Column(IProperty p) => sql.DelimitIdentifier(p.GetColumnName(table)!);

        string Table => sql.DelimitIdentifier(table.Name, table.Schema);

        /// <summary>Whether every key, token and written column can go as a column array (<see cref="ColumnArrays"/>).</summary>
        public bool AsColumnArrays => db.Database.IsNpgsql() && keys.Concat(tokens).Concat(set).All(ColumnArrays.Supports);

        /// <summary>
        /// PostgreSQL: one UPDATE for all rows, joined to one array per column — the same text for any number of rows, so it
        /// is prepared once per connection; returns how many rows it wrote.
        /// </summary>
        public async Task<int> SetBasedAsync(List<EntityEntry> rows, CancellationToken ct)
        {
            await using var command = db.Database.CreateCommandInTransaction();
            string Array(string name, IProperty p, Func<PropertyEntry, object?> value) =>
                ColumnArrays.Add(command, name, p, rows.Select(r => value(r.Property(p))));
            var arrays = keys.Select((p, i) => Array($"k{i}", p, e => e.CurrentValue))
                .Concat(tokens.Select((p, i) => Array($"t{i}", p, e => e.OriginalValue)))
                .Concat(set.Select((p, i) => Array($"s{i}", p, e => e.CurrentValue)));
            var names = keys.Select((_, i) => $"k{i}").Concat(tokens.Select((_, i) => $"t{i}")).Concat(set.Select((_, i) => $"s{i}"));
            command.CommandText = $"""
                UPDATE {Table} AS x SET {string.Join(", ", set.Select((p, i) => $"{Column(p)} = v.s{i}"))}
                FROM unnest({string.Join(", ", arrays)}) AS v({string.Join(", ", names)})
                WHERE {string.Join(" AND ", keys.Select((p, i) => $"x.{Column(p)} = v.k{i}").Concat(tokens.Select((p, i) => $"x.{Column(p)} = v.t{i}")))}
                """;
            await command.PrepareAsync(ct);
            return await command.ExecuteNonQueryAsync(ct);
        }

        /// <summary>SQLite, or a column that cannot be unnested: one single-row UPDATE, prepared once, per row; returns how many rows it wrote.</summary>
        public async Task<int> OneByOneAsync(List<EntityEntry> rows, CancellationToken ct)
        {
            await using var command = db.Database.CreateCommandInTransaction();
            command.CommandText = $"""
                UPDATE {Table} SET {string.Join(", ", set.Select((p, i) => $"{Column(p)} = @s{i}"))}
                WHERE {string.Join(" AND ", keys.Select((p, i) => $"{Column(p)} = @k{i}").Concat(tokens.Select((p, i) => $"{Column(p)} = @t{i}")))}
                """;
            var written = 0;
            foreach (var row in rows)
            {
                command.Parameters.Clear();
                for (var i = 0; i < keys.Count; i++) Add(command, $"k{i}", keys[i], row.Property(keys[i]).CurrentValue);
                for (var i = 0; i < tokens.Count; i++) Add(command, $"t{i}", tokens[i], row.Property(tokens[i]).OriginalValue);
                for (var i = 0; i < set.Count; i++) Add(command, $"s{i}", set[i], row.Property(set[i]).CurrentValue);
                written += await command.ExecuteNonQueryAsync(ct);
            }
            return written;
        }

        /// <summary>Adds the value as its column stores it (the property's type mapping and converter) and returns its name.</summary>
        static string Add(DbCommand command, string name, IProperty property, object? value)
        {
            command.Parameters.Add(property.GetRelationalTypeMapping().CreateParameter(command, "@" + name, value, property.IsNullable));
            return "@" + name;
        }
    }
}
