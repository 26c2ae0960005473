using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Data;

/// <summary>
/// A parameter for hand-written SQL holding a value in the form its column stores it (Guid text and UTC ticks on SQLite,
/// wire names for enums, typed nulls on PostgreSQL), through the EF model's type mapping for that property.
/// </summary>
public static class ColumnParameter
{
    /// <summary>
    /// Parameters one hand-written statement should carry. SQLite looks every named parameter up by a linear scan of the
    /// statement's names, when parsing and again when binding, so a statement with n of them costs n² (a 100-row
    /// insert of 1,300 parameters spent more CPU there than on everything else): several short statements are cheaper.
    /// PostgreSQL's limit is 65,535.
    /// </summary>
    public static int PerStatement(DbContext db) =>
        db?.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite" ? 240 : 30_000;

    /// <summary>Adds <c>@<paramref name="name"/></c> (named with its prefix, so SQLite finds it on the first lookup).</summary>
    public static DbParameter For<TEntity>(DbContext db, DbCommand command, string name, string property, object? value) where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = Create<TEntity>(db, command, name, property, value);
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary><c>@<paramref name="name"/></c>, made by <paramref name="factory"/> but not added to it (for a batch command).</summary>
    public static DbParameter Create<TEntity>(DbContext db, DbCommand factory, string name, string property, object? value) where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        var p = Mapped<TEntity>(db, property);
        return p.GetRelationalTypeMapping().CreateParameter(factory, "@" + name, value, p.IsNullable);
    }

    /// <summary>The EF model's property <paramref name="property"/> of <typeparamref name="TEntity"/>.</summary>
    internal static IProperty Mapped<TEntity>(DbContext db, string property) where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property} is not mapped");
    }
}
