using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Touchpoint.Data;
using Touchpoint.Data.Entities;

namespace Touchpoint.Features.Contacts.Import;

/// <summary>
/// Inserts brand-new contacts and their channels without the change tracker, inside the caller's transaction:
/// binary <c>COPY</c> on PostgreSQL, prepared multi-row <c>INSERT</c>s on SQLite. Column names and values come
/// from the EF model (<see cref="BulkTable{T}"/>), so the rows are the ones SaveChanges would write.
/// </summary>
public sealed class ContactBulkInsert
{
    /// <summary>
    /// Rows per SQLite statement. Measured on 100k contacts (docs/benchmarks.md): 1 (a prepared single-row
    /// statement rebound per row) vs 50; larger VALUES lists run into SQLite's parameter limit with no gain.
    /// </summary>
    public const int SqliteRowsPerStatement = 50;

    readonly BulkTable<Contact> contacts;
    readonly BulkTable<ContactChannel> channels;

    public ContactBulkInsert(TouchpointDb db)
    {
        contacts = BulkTable<Contact>.For(db.Model);
        channels = BulkTable<ContactChannel>.For(db.Model);
    }

    /// <summary>Writes <paramref name="rows"/> and every channel in their <see cref="Contact.Channels"/>.</summary>
    public async Task InsertAsync(TouchpointDb db, IReadOnlyList<Contact> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var children = new List<ContactChannel>(rows.Count * 2);
        foreach (var contact in rows) children.AddRange(contact.Channels);
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("The bulk insert must run inside the batch's transaction.");
        if (connection is NpgsqlConnection npgsql)
        {
            await CopyAsync(npgsql, contacts, rows, ct);
            await CopyAsync(npgsql, channels, children, ct);
        }
        else
        {
            await InsertSqliteAsync(connection, transaction, contacts, rows, ct);
            await InsertSqliteAsync(connection, transaction, channels, children, ct);
        }
    }

    static async Task CopyAsync<T>(NpgsqlConnection connection, BulkTable<T> table, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0) return;
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(ct);
            foreach (var column in table.Columns)
            {
                if (column.ProviderValue(row) is { } value) await writer.WriteAsync(value, column.DataTypeName, ct);
                else await writer.WriteNullAsync(ct);
            }
        }
        await writer.CompleteAsync(ct);
    }

    static async Task InsertSqliteAsync<T>(DbConnection connection, DbTransaction transaction, BulkTable<T> table,
        IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        DbCommand? command = null;
        try
        {
            for (var start = 0; start < rows.Count; start += SqliteRowsPerStatement)
            {
                var count = Math.Min(SqliteRowsPerStatement, rows.Count - start);
                if (command is null || command.Parameters.Count != count * table.Columns.Length)
                {
                    if (command is not null) await command.DisposeAsync();
                    command = SqliteInsert(connection, transaction, table, count);
                    await command.PrepareAsync(ct);
                }
                var p = 0;
                for (var r = start; r < start + count; r++)
                    foreach (var column in table.Columns)
                        command.Parameters[p++].Value = column.ProviderValue(rows[r]) ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        finally
        {
            if (command is not null) await command.DisposeAsync();
        }
    }

    static DbCommand SqliteInsert<T>(DbConnection connection, DbTransaction transaction, BulkTable<T> table, int rowCount) where T : class
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder($"INSERT INTO \"{table.Name}\" (")
            .AppendJoin(", ", table.Columns.Select(c => $"\"{c.Name}\"")).Append(") VALUES ");
        for (var r = 0; r < rowCount; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < table.Columns.Length; c++)
            {
                var name = $"@p{r}_{c}";
                sql.Append(c == 0 ? name : ", " + name);
                // The type mapping configures the parameter as EF does (e.g. Guids bound as upper-case text).
                command.Parameters.Add(table.Columns[c].Mapping.CreateParameter(command, name, null, nullable: true));
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        return command;
    }
}
