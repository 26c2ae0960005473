using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Touchpoint.Data;

/// <summary>
/// The rows a hand-written UPDATE joins to, as <c>v(v_a, v_b, …)</c>: one array per column through <c>unnest</c> on
/// PostgreSQL (<see cref="ColumnArrays"/>: the same text for any number of rows, so it is worth preparing), a VALUES list of
/// one parameter per value on SQLite. Write <c>{With} UPDATE t AS o … FROM {From} WHERE {KeyMatches("o.id")} AND o.id = v.v_id</c>.
/// </summary>
public sealed class JoinedRows
{
    JoinedRows(string with, string from, string keys, bool columnArrays)
    {
        With = with;
        From = from;
        this.keys = keys;
        IsColumnArrays = columnArrays;
    }

    readonly string keys;

    /// <summary>SQLite: the <c>WITH v(…) AS (VALUES …)</c> the statement starts with (it has no column list on a subquery); PostgreSQL: empty.</summary>
    public string With { get; }

    /// <summary>What the UPDATE's FROM names: <c>v</c>, or <c>unnest(…) AS v(…)</c>.</summary>
    public string From { get; }

    /// <summary>The statement's text does not depend on the number of rows: prepare it.</summary>
    public bool IsColumnArrays { get; }

    /// <summary>
    /// <paramref name="column"/> among the rows' keys (the first column): SQLite needs the literal list to look the target rows
    /// up by index instead of scanning the table against the VALUES rows.
    /// </summary>
    public string KeyMatches(string column) => IsColumnArrays ? $"{column} = ANY({keys})" : $"{column} IN ({keys})";

    /// <summary>
    /// Adds <paramref name="count"/> rows of <paramref name="columns"/> (named <c>v_…</c>, the first one the key) to
    /// <paramref name="command"/>, each value as <typeparamref name="TEntity"/>'s property stores it.
    /// </summary>
    public static JoinedRows Add<TEntity>(DbContext db, DbCommand command, int count,
        params (string Column, string Property, Func<int, object?> Value)[] columns) where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(columns);
        var names = string.Join(", ", columns.Select(c => c.Column));
        var properties = columns.Select(c => ColumnParameter.Mapped<TEntity>(db, c.Property)).ToList();
        if (db.Database.IsNpgsql() && properties.All(ColumnArrays.Supports))
        {
            var arrays = columns.Select((c, i) => ColumnArrays.Add(command, c.Column, properties[i], Enumerable.Range(0, count).Select(c.Value))).ToList();
            return new("", $"unnest({string.Join(", ", arrays)}) AS v({names})", arrays[0], columnArrays: true);
        }
        var rows = new StringBuilder();
        var keys = new StringBuilder();
        for (var n = 0; n < count; n++)
        {
            var row = n.ToString(CultureInfo.InvariantCulture);
            // Named with their column's prefix, so SQLite finds each on its first lookup.
            var parameters = columns.Select(c => ColumnParameter.For<TEntity>(db, command, c.Column + row, c.Property, c.Value(n)).ParameterName);
            rows.Append(n == 0 ? "(" : ", (").AppendJoin(", ", parameters).Append(')');
            keys.Append(n == 0 ? "@" : ", @").Append(columns[0].Column).Append(row);
        }
        return new($"WITH v({names}) AS (VALUES {rows})", "v", keys.ToString(), columnArrays: false);
    }
}
