using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Features.Contacts.Import;

/// <summary>
/// One entity's table as EF maps it: column names, and per column the value EF would send to the database
/// (its value converter applied: wire-name enums, UTC ticks on SQLite, tags as JSON on SQLite / text[] on
/// PostgreSQL). Read from the model, so a bulk write cannot drift from what SaveChanges writes.
/// </summary>
sealed class BulkTable<T> where T : class
{
    public required string Name { get; init; }
    public required BulkColumn[] Columns { get; init; }

    public static BulkTable<T> For(IModel model)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = new List<BulkColumn>();
        foreach (var property in entity.GetProperties())
        {
            // A shadow property has no CLR value to copy; the bulk path would silently write null.
            if (property.IsShadowProperty())
                throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} is a shadow property; the bulk insert cannot write it.");
            columns.Add(new BulkColumn(property.GetColumnName(table)!, property.GetColumnType(table),
                property.GetRelationalTypeMapping(), property.GetGetter()));
        }
        return new BulkTable<T> { Name = table.Name, Columns = [.. columns] };
    }
}

sealed class BulkColumn(string name, string storeType, RelationalTypeMapping mapping, IClrPropertyGetter getter)
{
    public string Name => name;
    public RelationalTypeMapping Mapping => mapping;

    /// <summary>The store type without facets (<c>character varying(200)</c> → <c>character varying</c>), as Npgsql's COPY expects.</summary>
    public string DataTypeName { get; } = storeType.IndexOf('(', StringComparison.Ordinal) is var at and > 0
        ? storeType[..at].TrimEnd() + storeType[(storeType.IndexOf(')', StringComparison.Ordinal) + 1)..]
        : storeType;

    /// <summary>The provider value of this column for <paramref name="row"/>: what EF would bind as the parameter value.</summary>
    public object? ProviderValue(object row)
    {
        var value = getter.GetClrValueUsingContainingEntity(row);
        return value is null || mapping.Converter is null ? value : mapping.Converter.ConvertToProvider(value);
    }
}
