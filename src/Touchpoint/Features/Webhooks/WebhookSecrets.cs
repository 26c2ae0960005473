using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Providers;

namespace Touchpoint.Features.Webhooks;

/// <summary>The secrets a receiver checks signatures with, per provider; null when none is configured.</summary>
public sealed record ProviderSecrets(string? TwilioAuthToken, string? SendGridPublicKey, string? MetaAppSecret,
    string? MetaVerifyToken, string? HttpWebhookSecret);

/// <summary>
/// Reads webhook secrets from the workspace's <c>provider_settings</c> rows: the encrypted
/// <c>protected_secrets</c> written by <c>PUT /api/v1/providers/{channel}</c>, falling back to keys in
/// <c>settings_json</c> of older rows (<c>authToken</c>, <c>publicKey</c>, <c>appSecret</c>, <c>verifyToken</c>,
/// <c>webhookSecret</c>).
/// </summary>
public sealed class WebhookSecrets(TouchpointDb db, ProviderAccounts accounts)
{
    public async Task<ProviderSecrets> ForAsync(Guid workspaceId, string provider, CancellationToken ct)
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
            _ => new(null, null, null, null, null),
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
}
