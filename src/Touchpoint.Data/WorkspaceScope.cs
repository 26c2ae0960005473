namespace Touchpoint.Data;

/// <summary>
/// The workspace the current request acts for. Set by authentication; when unset (CLI, workers, admin)
/// queries see every workspace, so only trusted code paths may leave it empty.
/// </summary>
public sealed class WorkspaceScope
{
    public Guid? WorkspaceId { get; private set; }

    public void Enter(Guid workspaceId)
    {
        if (WorkspaceId is { } current && current != workspaceId)
            throw new InvalidOperationException("A request cannot switch workspaces.");
        WorkspaceId = workspaceId;
    }
}
