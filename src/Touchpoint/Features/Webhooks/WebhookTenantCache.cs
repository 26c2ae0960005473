using System.Collections.Concurrent;
using Touchpoint.Data.Entities;

namespace Touchpoint.Features.Webhooks;

/// <summary>
/// What every webhook request of a workspace needs and almost never changes: the workspace row (existence, region,
/// keyword texts, unknown-sender switch) and the decrypted provider secrets. Reading them per request was a third of
/// the ingest cost (docs/decisions/0018-webhook-ingest-path.md). Entries live <see cref="Lifetime"/>;
/// <c>PUT /api/v1/providers/{channel}</c> and <c>PATCH /api/v1/workspace</c> drop the workspace's entries at once in
/// this process, so the lifetime only bounds how long another process (a second host) may use the old value.
/// Misses are never cached: a workspace or secret that appears is seen by the next request.
/// </summary>
public sealed class WebhookTenantCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    sealed record Entry<T>(T Value, long Stamp);

    readonly ConcurrentDictionary<Guid, Entry<Workspace>> workspaces = new();
    readonly ConcurrentDictionary<(Guid Workspace, string Provider), Entry<ProviderSecrets>> secrets = new();
    // Bumped by Invalidate: a load that began before a change must not store the value it read.
    readonly ConcurrentDictionary<Guid, long> generations = new();

    public long Generation(Guid workspaceId) => generations.GetValueOrDefault(workspaceId);

    public Workspace? Workspace(Guid workspaceId) => Fresh(workspaces, workspaceId);

    public ProviderSecrets? Secrets(Guid workspaceId, string provider) => Fresh(secrets, (workspaceId, provider));

    public void Store(Workspace workspace, long generation)
    {
        if (Generation(workspace.Id) == generation) workspaces[workspace.Id] = new(workspace, clock.GetTimestamp());
    }

    public void Store(Guid workspaceId, string provider, ProviderSecrets value, long generation)
    {
        if (Generation(workspaceId) == generation) secrets[(workspaceId, provider)] = new(value, clock.GetTimestamp());
    }

    /// <summary>Forget everything about the workspace (its settings or provider secrets changed).</summary>
    public void Invalidate(Guid workspaceId)
    {
        generations.AddOrUpdate(workspaceId, 1, (_, g) => g + 1);
        workspaces.TryRemove(workspaceId, out _);
        foreach (var key in secrets.Keys.Where(k => k.Workspace == workspaceId)) secrets.TryRemove(key, out _);
    }

    T? Fresh<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> entries, TKey key) where TKey : notnull where T : class =>
        entries.TryGetValue(key, out var e) && clock.GetElapsedTime(e.Stamp) < Lifetime ? e.Value : null;
}
