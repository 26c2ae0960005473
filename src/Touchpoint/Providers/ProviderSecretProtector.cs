using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;

namespace Touchpoint.Providers;

/// <summary>
/// Encrypts a workspace's provider secrets with ASP.NET Core Data Protection. The purpose chain names the
/// workspace, so ciphertext copied into another workspace's row does not decrypt there.
/// </summary>
public sealed class ProviderSecretProtector(IDataProtectionProvider protection)
{
    const string Purpose = "Touchpoint.ProviderSecrets.v1";

    public string Protect(Guid workspaceId, JsonObject secrets) =>
        For(workspaceId).Protect(secrets.ToJsonString());

    /// <summary>The secrets, or an empty object when none are stored. Throws when the key ring cannot decrypt them.</summary>
    public JsonObject Unprotect(Guid workspaceId, string? protectedSecrets)
    {
        if (string.IsNullOrEmpty(protectedSecrets)) return [];
        try
        {
            return JsonNode.Parse(For(workspaceId).Unprotect(protectedSecrets)) as JsonObject ?? [];
        }
        catch (CryptographicException e)
        {
            // Usually a key ring that is not shared (keys stored elsewhere) or a row copied between workspaces.
            throw new InvalidOperationException(
                $"Provider secrets of workspace {workspaceId} cannot be decrypted with this key ring; configure the provider again.", e);
        }
    }

    IDataProtector For(Guid workspaceId) => protection.CreateProtector(Purpose, workspaceId.ToString("D"));
}
