using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Data.Entities;

namespace Touchpoint.Data.Configurations;

static class ConfigurationExtensions
{
    /// <summary>Table, (workspace_id, id) key and the cascade from the owning workspace, shared by every tenant row.</summary>
    public static EntityTypeBuilder<T> IsWorkspaceRow<T>(this EntityTypeBuilder<T> b, string table) where T : class, IWorkspaceOwned
    {
        b.ToTable(table);
        b.HasKey("WorkspaceId", "Id");
        b.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        return b;
    }

    /// <summary>A child row that goes away with its parent in the same workspace.</summary>
    public static EntityTypeBuilder<T> BelongsTo<T, TParent>(this EntityTypeBuilder<T> b, string foreignKey,
        DeleteBehavior onDelete = DeleteBehavior.Cascade) where T : class where TParent : class
    {
        b.HasOne<TParent>().WithMany().HasForeignKey("WorkspaceId", foreignKey)
            .HasPrincipalKey("WorkspaceId", "Id").OnDelete(onDelete);
        return b;
    }

    public static PropertyBuilder<string> Text(this PropertyBuilder<string> p, int max) => p.HasMaxLength(max);
}
