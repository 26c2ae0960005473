using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data.Entities;

namespace Touchpoint.Data;

/// <summary>
/// The one tenant filter: every <see cref="IWorkspaceOwned"/> entity is visible only to its workspace when
/// the context is scoped. Built as an expression over the context so EF parameterizes it per instance.
/// </summary>
static class WorkspaceQueryFilter
{
    public static void Apply(ModelBuilder model, TouchpointDb db)
    {
        foreach (var entity in model.Model.GetEntityTypes())
        {
            if (!typeof(IWorkspaceOwned).IsAssignableFrom(entity.ClrType)) continue;
            var row = Expression.Parameter(entity.ClrType, "row");
            var scoped = Expression.Property(Expression.Constant(db), nameof(TouchpointDb.ScopedWorkspaceId));
            var body = Expression.OrElse(
                Expression.Equal(scoped, Expression.Constant(null, typeof(Guid?))),
                Expression.Equal(
                    Expression.Convert(Expression.Property(row, nameof(IWorkspaceOwned.WorkspaceId)), typeof(Guid?)),
                    scoped));
            model.Entity(entity.ClrType).HasQueryFilter(Expression.Lambda(body, row));
        }
    }
}
