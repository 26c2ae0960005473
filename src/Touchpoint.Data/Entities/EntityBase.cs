namespace Touchpoint.Data.Entities;

/// <summary>Every tenant-owned row: <c>workspace_id</c> leads its key so the schema can be distributed by tenant.</summary>
public interface IWorkspaceOwned
{
    Guid WorkspaceId { get; }
}

/// <summary>A mutable tenant row with audit timestamps.</summary>
public abstract class WorkspaceRow : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An append-only tenant row: written once, never updated, so it has no <c>updated_at</c>.</summary>
public abstract class WorkspaceFact : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTimeOffset CreatedAt { get; set; }
}
