using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Providers;

namespace Touchpoint.Features.Webhooks;

/// <summary>The secrets a receiver checks signatures with, per provider; null when none is configured.</summary>
public sealed record ProviderSecrets(string? TwilioAuthToken, string? SendGridPublicKey, string? MetaAppSecret,
    string? MetaVerifyToken, string? HttpWebhookSecret);

/// <summary>
/// Reads webhook secrets from the workspace's <c>provider_settings</c> rows: the encrypted
/// <c>protected_secrets</c> written by <c>PUT /api/v1/providers/{channel}</c>, falling back to keys in
/// <c>settings_json</c> of older rows (<c>authToken</c>, <c>publicKey</c>, <c>appSecret</c>, <c>verifyToken</c>,
/// <c>webhookSecret</c>). Both the workspace row and found secrets are kept in <see cref="WebhookTenantCache"/>.
/// </summary>
public sealed class WebhookSecrets(TouchpointDb db, ProviderAccounts accounts, WebhookTenantCache cache)
{
    /// <summary>The workspace a webhook URL names (untracked, possibly cached); null when there is none.</summary>
    public async Task<Workspace?> WorkspaceAsync(Guid workspaceId, CancellationToken ct)
    {
        if (cache.Workspace(workspaceId) is { } cached) return cached;
        var generation = cache.Generation(workspaceId);
        var row = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, ct);
        if (row is not null) cache.Store(row, generation);
        return row;
    }

    public async Task<ProviderSecrets> ForAsync(Guid workspaceId, string provider, CancellationToken ct)
    {
        if (cache.Secrets(workspaceId, provider) is { } cached) return cached;
        var generation = cache.Generation(workspaceId);
        var secrets = await LoadAsync(workspaceId, provider, ct);
        if (secrets != None) cache.Store(workspaceId, provider, secrets, generation);
        return secrets;
    }

    static readonly ProviderSecrets None = new(null, null, null, null, null);

    async Task<ProviderSecrets> LoadAsync(Guid workspaceId, string provider, CancellationToken ct)
    {
        // Explicit workspace filter: webhook requests are anonymous, so no query filter scopes them.
        var rows = await db.ProviderSettings.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.Provider == provider)
            .ToListAsync(ct);
        var opened = rows.Select(accounts.Open).Select(o => o.Secrets).ToList();
        string? Find(string key) => opened.Select(s => Read(s, key)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return provider switch
        {
            WebhookProviders.Twilio => new(Find("authToken"), null, null, null, null),
            WebhookProviders.SendGrid => new(null, Find("publicKey"), null, null, null),
            WebhookProviders.Meta => new(null, null, Find("appSecret"), Find("verifyToken"), null),
            WebhookProviders.Http => new(null, null, null, null, Find("webhookSecret")),
            _ => None,
        };
    }

    static string? Read(JsonObject secrets, string key) =>
        secrets.TryGetPropertyValue(key, out var v) && v is JsonValue j && j.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>Provider names as stored in <c>webhook_deliveries.provider</c> and <c>outbound_messages.provider</c>.</summary>
public static class WebhookProviders
{
    public const string Twilio = "twilio";
    public const string SendGrid = "sendgrid";
    public const string Meta = "meta";
    public const string Http = "http";
    public const string Sandbox = "sandbox";

    /// <summary>
    /// Whether one request can carry several events (SendGrid's event arrays, Meta's entries). An event of any other
    /// provider was only ever applied under its own delivery key, so the unique delivery index alone dedupes it.
    /// </summary>
    public static bool BatchesEvents(string provider) => provider is SendGrid or Meta;
}
