using System.Text.Json.Nodes;
using Touchpoint.Data.Entities;
using Touchpoint.Providers;

namespace Touchpoint.Features.Crm.Agents;

/// <summary>
/// Agent API keys at rest: encrypted with the same Data Protection purpose as provider secrets
/// (<see cref="ProviderSecretProtector"/>, bound to the workspace) and stored as <c>dp1:&lt;ciphertext&gt;</c> in
/// <c>agents.api_key</c>. Rows written before encryption hold the plain key; <see cref="Reveal"/> still reads them
/// and <see cref="UpgradeIfPlain"/> rewrites them encrypted on the next read, so no plaintext outlives its first use.
/// </summary>
public sealed class AgentApiKeys(ProviderSecretProtector protector)
{
    const string Prefix = "dp1:";
    const string Field = "apiKey";
    /// <summary>The longest key whose ciphertext still fits the 500-character column.</summary>
    public const int MaxKeyLength = 256;

    public string? Protect(Guid workspaceId, string? apiKey) =>
        string.IsNullOrEmpty(apiKey) ? null : Prefix + protector.Protect(workspaceId, new JsonObject { [Field] = apiKey });

    public static bool IsProtected(string? stored) => stored?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The key to hand to the SDK (never to a response or a log); null when the agent has none.</summary>
    public string? Reveal(Agent agent)
    {
        if (string.IsNullOrEmpty(agent.ApiKey)) return null;
        if (!IsProtected(agent.ApiKey)) return agent.ApiKey; // a row from before encryption
        return protector.Unprotect(agent.WorkspaceId, agent.ApiKey[Prefix.Length..])[Field]?.GetValue<string>();
    }

    /// <summary>Encrypts a plaintext key in place (tracked entity; the caller saves). True when the row changed.</summary>
    public bool UpgradeIfPlain(Agent agent)
    {
        if (string.IsNullOrEmpty(agent.ApiKey) || IsProtected(agent.ApiKey)) return false;
        agent.ApiKey = Protect(agent.WorkspaceId, agent.ApiKey);
        return true;
    }
}
