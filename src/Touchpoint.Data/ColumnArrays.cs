using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Data;

/// <summary>
/// PostgreSQL: one array parameter holding a column's values for many rows, in their stored form (the property's type
/// mapping and converter, as <c>SaveChanges</c> writes them), for statements over <c>unnest(@a::uuid[], @b::text[], …)</c>.
/// Such a statement has the same text for any number of rows, so it can be prepared once per connection, where a VALUES
/// list of rows × columns parameters is parsed and planned anew for every batch size.
/// </summary>
public static class ColumnArrays
{
    // Scalars Npgsql writes as arrays of the matching PostgreSQL type. A column that is itself an array (text[]) cannot be
    // unnested from a two-dimensional one; such columns, and anything else, keep the VALUES path.
    static readonly HashSet<Type> Scalars =
    [
        typeof(Guid), typeof(string), typeof(DateTimeOffset), typeof(int), typeof(long), typeof(short), typeof(bool),
        typeof(double), typeof(decimal), typeof(byte[]),
    ];

    public static bool Supports(IProperty property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var mapping = property.GetRelationalTypeMapping();
        var type = Provider(mapping);
        return Scalars.Contains(Nullable.GetUnderlyingType(type) ?? type) && !mapping.StoreType.EndsWith("[]", StringComparison.Ordinal);
    }

    /// <summary>Adds <c>@<paramref name="name"/></c> with <paramref name="values"/> stored as the property's column stores them;
    /// returns the SQL that reads it as an array of the column's type (<c>@name::uuid[]</c>).</summary>
    public static string Add(DbCommand command, string name, IProperty property, IEnumerable<object?> values)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(property);
        var mapping = property.GetRelationalTypeMapping();
        var converter = mapping.Converter;
        var type = Provider(mapping);
        if (property.IsNullable && type.IsValueType && Nullable.GetUnderlyingType(type) is null) type = typeof(Nullable<>).MakeGenericType(type);
        var list = values as IReadOnlyList<object?> ?? [.. values];
        var array = Array.CreateInstance(type, list.Count);
        for (var n = 0; n < list.Count; n++)
            array.SetValue(list[n] is not { } value || converter is null ? list[n] : converter.ConvertToProvider(value), n);

        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = array;
        command.Parameters.Add(parameter);
        return $"@{name}::{mapping.StoreType}[]";
    }

    static Type Provider(RelationalTypeMapping mapping) => mapping.Converter?.ProviderClrType ?? mapping.ClrType;
}
