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
/// binary <c>COPY</c> on PostgreSQL, a prepared <c>INSERT</c> rebound per row on SQLite. Column names and values come
/// from the EF model (<see cref="BulkTable{T}"/>), so the rows are the ones SaveChanges would write.
/// </summary>
public sealed class ContactBulkInsert
{
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
            InsertSqlite(connection, transaction, contacts, rows, ct);
            InsertSqlite(connection, transaction, channels, children, ct);
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

    /// <summary>
    /// One prepared single-row INSERT per table, rebound for every row, in the batch's transaction. Measured
    /// against prepared 50-row VALUES lists on 100k contacts: the single-row statement took half the CPU
    /// (5.0 s vs 11.4 s for 300k rows), so there is no multi-row variant. Microsoft.Data.Sqlite's async methods
    /// run synchronously anyway, so the loop calls the synchronous one and skips a task per row.
    /// </summary>
    static void InsertSqlite<T>(DbConnection connection, DbTransaction transaction, BulkTable<T> table, IReadOnlyList<T> rows,
        CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var columns = table.Columns;
        for (var c = 0; c < columns.Length; c++)
            // The type mapping configures the parameter as EF does (e.g. Guids bound as upper-case text).
            command.Parameters.Add(columns[c].Mapping.CreateParameter(command, $"@p{c}", null, nullable: true));
        command.CommandText = new StringBuilder($"INSERT INTO \"{table.Name}\" (")
            .AppendJoin(", ", columns.Select(c => $"\"{c.Name}\"")).Append(") VALUES (")
            .AppendJoin(", ", columns.Select((_, c) => $"@p{c}")).Append(')').ToString();
        command.Prepare();
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            for (var c = 0; c < columns.Length; c++) command.Parameters[c].Value = columns[c].ProviderValue(row) ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }
}
