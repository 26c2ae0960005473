using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;
using Touchpoint.Features.Webhooks;
using Touchpoint.Providers;
using Touchpoint.Providers.Sandbox;

namespace Touchpoint.Features.Providers;

/// <summary>
/// One provider per workspace and channel. Secrets are split out of the settings and encrypted; a PUT for the
/// same provider that omits a secret keeps the stored one (so changing <c>baseUrl</c> does not need the token again).
/// </summary>
public sealed class ProviderSettingsService(TouchpointDb db, ProviderAccounts accounts, ProviderSecretProtector protector, TimeProvider clock,
    WebhookTenantCache webhookTenants)
{
    public async Task<(ProviderView? View, FieldErrors Errors)> PutAsync(Guid workspaceId, Channel channel, PutProviderRequest body,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryPutAsync(workspaceId, channel, body, ct);
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && UniqueViolation.Is(e))
            {
                // A concurrent first PUT for this channel inserted the row after our read: write again as an update
                // of that row (last writer wins, as for two sequential PUTs).
                db.ChangeTracker.Clear();
            }
        }
    }

    const int MaxAttempts = 3;

    async Task<(ProviderView? View, FieldErrors Errors)> TryPutAsync(Guid workspaceId, Channel channel, PutProviderRequest body,
        CancellationToken ct)
    {
        var row = await db.ProviderSettings.FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Channel == channel, ct);
        var kept = row is not null && row.Provider == body.Provider ? accounts.Open(row).Secrets : [];
        var errors = body.Validate(channel, [.. kept.Select(p => p.Key)]);
        if (errors.Count > 0) return (null, errors);

        var settings = new JsonObject();
        var secrets = kept;
        foreach (var (key, value) in body.Settings ?? [])
        {
            if (ProviderCatalog.SecretKeys.Contains(key)) secrets[key] = value?.DeepClone();
            else settings[key] = value?.DeepClone();
        }

        var now = clock.GetUtcNow();
        if (row is null)
        {
            row = new ProviderSetting { WorkspaceId = workspaceId, Channel = channel, Provider = body.Provider!, CreatedAt = now };
            db.ProviderSettings.Add(row);
        }
        row.Provider = body.Provider!;
        row.SettingsJson = settings.ToJsonString();
        row.ProtectedSecrets = secrets.Count > 0 ? protector.Protect(workspaceId, secrets) : null;
        row.UpdatedAt = now;
        // The whole row, so concurrent PUTs cannot interleave one's settings with another's secrets.
        if (db.Entry(row).State != EntityState.Added) db.Entry(row).State = EntityState.Modified;
        await db.SaveChangesAsync(ct);
        // Webhook receivers check signatures with the new secret from the next request on.
        webhookTenants.Invalidate(workspaceId);
        return (View(row, settings, secrets), errors);
    }

    public async Task<List<ProviderView>> ListAsync(Guid workspaceId, CancellationToken ct)
    {
        var rows = await db.ProviderSettings.AsNoTracking().Where(p => p.WorkspaceId == workspaceId).ToListAsync(ct);
        return [.. Enum.GetValues<Channel>().Select(c => rows.FirstOrDefault(r => r.Channel == c) is { } row ? View(row) : Default(c))];
    }

    public async Task<ProviderView> GetAsync(Guid workspaceId, Channel channel, CancellationToken ct)
    {
        var row = await db.ProviderSettings.AsNoTracking().FirstOrDefaultAsync(p => p.WorkspaceId == workspaceId && p.Channel == channel, ct);
        return row is null ? Default(channel) : View(row);
    }

    ProviderView View(ProviderSetting row)
    {
        var (settings, secrets) = accounts.Open(row);
        return View(row, settings, secrets);
    }

    static ProviderView View(ProviderSetting row, JsonObject settings, JsonObject secrets) =>
        new(row.Channel, row.Provider, settings, [.. secrets.Select(p => p.Key).Order(StringComparer.Ordinal)], true, row.UpdatedAt);

    static ProviderView Default(Channel channel) => new(channel, SandboxProvider.ProviderName, [], [], false, null);
}
