using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;

namespace Touchpoint.Features.Webhooks;

/// <summary>The secrets a receiver checks signatures with, per provider; null when none is configured.</summary>
public sealed record ProviderSecrets(string? TwilioAuthToken, string? SendGridPublicKey, string? MetaAppSecret,
    string? MetaVerifyToken, string? HttpWebhookSecret);

/// <summary>
/// Reads webhook secrets from the workspace's <c>provider_settings</c> rows. Interim: they live in
/// <c>settings_json</c> (keys <c>authToken</c>, <c>publicKey</c>, <c>appSecret</c>, <c>verifyToken</c>,
/// <c>webhookSecret</c>) until <c>PUT /api/v1/providers/{channel}</c> stores them in <c>protected_secrets</c>.
/// </summary>
public sealed class WebhookSecrets(TouchpointDb db)
{
    public async Task<ProviderSecrets> ForAsync(Guid workspaceId, string provider, CancellationToken ct)
    {
        // Explicit workspace filter: webhook requests are anonymous, so no query filter scopes them.
        var rows = await db.ProviderSettings.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.Provider == provider)
            .Select(p => p.SettingsJson).ToListAsync(ct);
        string? Find(string key) => rows.Select(json => Read(json, key)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return provider switch
        {
            WebhookProviders.Twilio => new(Find("authToken"), null, null, null, null),
            WebhookProviders.SendGrid => new(null, Find("publicKey"), null, null, null),
            WebhookProviders.Meta => new(null, null, Find("appSecret"), Find("verifyToken"), null),
            WebhookProviders.Http => new(null, null, null, null, Find("webhookSecret")),
            _ => new(null, null, null, null, null),
        };
    }

    static string? Read(string json, string key)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
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
