using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Dashboard;

/// <summary>
/// Seam for the next-best-action feature (GET /api/v1/contacts/{id}/next-action): when a service implementing
/// this is registered, the contact page shows its advice; when not, the section is absent.
/// </summary>
public interface INextActionSource
{
    Task<NextActionView?> ForContactAsync(Guid contactId, CancellationToken ct);
}

public sealed record NextActionView(string Action, Channel? Channel, DateTimeOffset? At, IReadOnlyList<string> Reasons);
