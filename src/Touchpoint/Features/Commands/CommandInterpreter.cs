using Touchpoint.Domain.Commands;

namespace Touchpoint.Features.Commands;

/// <summary>
/// Chooses the resolver for a command's text. Today this is always the deterministic offline resolver
/// (<see cref="CommandResolver"/>); it is the seam where a workspace-configured model would be tried first.
/// </summary>
public sealed class CommandInterpreter
{
    public const string Offline = "offline";

    public Task<(ResolvedCommand Resolved, string ResolvedBy)> ResolveAsync(Guid workspaceId, string text, CancellationToken ct) =>
        Task.FromResult((CommandResolver.Resolve(text), Offline));
}
