using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Data;

/// <summary>
/// A parameter for hand-written SQL holding a value in the form its column stores it (Guid text and UTC ticks on SQLite,
/// wire names for enums, typed nulls on PostgreSQL), through the EF model's type mapping for that property.
/// </summary>
public static class ColumnParameter
{
    public static DbParameter For<TEntity>(DbContext db, DbCommand command, string name, string property, object? value) where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        var p = db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property} is not mapped");
        var parameter = p.GetRelationalTypeMapping().CreateParameter(command, name, value, p.IsNullable);
        command.Parameters.Add(parameter);
        return parameter;
    }
}
