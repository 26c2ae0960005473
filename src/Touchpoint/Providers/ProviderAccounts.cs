using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Providers.Sandbox;

namespace Touchpoint.Providers;

/// <summary>
/// Which provider a workspace uses for a channel and with which settings; <c>sandbox</c> when nothing is
/// configured. Queries name the workspace because workers run without a request scope.
/// </summary>
public sealed class ProviderAccounts(TouchpointDb db)
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
        return new ProviderAccount(row.Provider, channel, ParseObject(row.SettingsJson), []);
    }

    static JsonObject ParseObject(string json) => JsonNode.Parse(json) as JsonObject ?? [];
}
