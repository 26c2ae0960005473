using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Providers.Sandbox;

namespace Touchpoint.Providers;

/// <summary>
/// Which provider a workspace uses for a channel and with which settings; <c>sandbox</c> when nothing is
/// configured. Queries name the workspace because workers run without a request scope.
/// </summary>
public sealed class ProviderAccounts(TouchpointDb db, ProviderSecretProtector protector)
{
    public async Task<ProviderAccount> ForAsync(Guid workspaceId, Channel channel, string? forcedProvider, CancellationToken ct)
    {
        var query = db.ProviderSettings.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.Channel == channel);
        if (forcedProvider is not null) query = query.Where(p => p.Provider == forcedProvider);
        var row = await query.OrderByDescending(p => p.UpdatedAt).FirstOrDefaultAsync(ct);
        if (row is null)
            return forcedProvider is null or SandboxProvider.ProviderName
                ? ProviderAccount.Sandbox(channel)
                : new ProviderAccount(forcedProvider, channel, [], []);
        var (settings, secrets) = Open(row);
        return new ProviderAccount(row.Provider, channel, settings, secrets);
    }

    /// <summary>
    /// Settings without secrets, and the decrypted secrets. Rows written before secrets were encrypted kept
    /// them in <c>settings_json</c>; those are moved to the secrets here (an encrypted value wins).
    /// </summary>
    public (JsonObject Settings, JsonObject Secrets) Open(ProviderSetting row)
    {
        var settings = ParseObject(row.SettingsJson);
        var secrets = protector.Unprotect(row.WorkspaceId, row.ProtectedSecrets);
        foreach (var key in settings.Select(p => p.Key).Where(ProviderCatalog.SecretKeys.Contains).ToList())
        {
            var legacy = settings[key];
            settings.Remove(key);
            if (!secrets.ContainsKey(key)) secrets[key] = legacy;
        }
        return (settings, secrets);
    }

    public static JsonObject ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
