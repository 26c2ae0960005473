using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Features.Webhooks;

/// <summary>
/// Steps (c)–(e) of a verified, archived delivery: normalize, drop already-applied events, apply the rest in
/// one transaction. Shared by the receivers, the sandbox and reprocessing, so all three behave the same.
/// Never throws for bad input or apply errors: the outcome (and error) is recorded on the delivery instead.
/// </summary>
public sealed class WebhookProcessor(TouchpointDb db, WebhookEventApplier applier, WebhookSecrets tenants, TimeProvider clock,
    ILogger<WebhookProcessor> log)
{
    const int MaxKeyLength = 300;

    public async Task<WebhookDelivery> ProcessAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        try
        {
            await RunAsync(delivery, ct);
            return delivery;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return await RecordFailureAsync(delivery, e, ct);
        }
    }

    async Task RunAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        var normalization = WebhookPayloads.Normalize(delivery.Provider, delivery.Body);
        if (normalization is not Normalized n)
        {
            await FinishAsync(delivery, WebhookOutcome.Unparsed, (normalization as Unparsed)?.Reason, ct);
            return;
        }
        var skipped = n.Skipped.Count > 0 ? "skipped: " + string.Join("; ", n.Skipped) : null;
        if (n.Events.Count == 0)
        {
            await FinishAsync(delivery, n.Skipped.Count > 0 ? WebhookOutcome.Unparsed : WebhookOutcome.Processed, skipped, ct);
            return;
        }

        var deliveryKey = DeliveryKey(n.Events);
        var seen = await SeenAsync(delivery, [.. n.Events.Select(e => e.DedupeKey).Append(deliveryKey).Distinct()], ct);
        var fresh = n.Events.Where(e => !seen.Contains(e.DedupeKey)).DistinctBy(e => e.DedupeKey).ToList();
        if (fresh.Count == 0 || seen.Contains(deliveryKey))
        {
            await FinishAsync(delivery, WebhookOutcome.Duplicate, null, ct);
            return;
        }

        var workspace = await tenants.WorkspaceAsync(delivery.WorkspaceId, ct)
            ?? throw new InvalidOperationException($"Workspace {delivery.WorkspaceId} of delivery {delivery.Id} not found.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var e in fresh) await applier.ApplyAsync(delivery, workspace, e, ct);
        // The unique (workspace, provider, dedupe_key) index makes a concurrent replay fail here, atomically.
        delivery.DedupeKey = deliveryKey;
        delivery.ProviderEventId = n.Events.Count == 1 ? Truncate(n.Events[0].DedupeKey) : null;
        var dropped = n.Events.Count - fresh.Count;
        var note = dropped > 0 ? $"{dropped} event(s) already applied" : null;
        await FinishAsync(delivery, WebhookOutcome.Processed, string.Join("; ", new[] { skipped, note }.OfType<string>()) is { Length: > 0 } s ? s : null, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Which of these keys an earlier delivery of the same provider already applied (one round trip).</summary>
    async Task<HashSet<string>> SeenAsync(WebhookDelivery d, List<string> keys, CancellationToken ct)
    {
        var (ws, provider, id) = (d.WorkspaceId, d.Provider, d.Id);
        var deliveries = db.WebhookDeliveries.IgnoreQueryFilters()
            .Where(w => w.WorkspaceId == ws && w.Provider == provider && w.Id != id && w.DedupeKey != null && keys.Contains(w.DedupeKey))
            .Select(w => w.DedupeKey!);
        // Batches (SendGrid, Meta) carry one delivery key for many events: per-event facts are found here.
        var events = db.MessageEvents.IgnoreQueryFilters()
            .Where(e => e.WorkspaceId == ws && e.Provider == provider && e.ProviderEventId != null && keys.Contains(e.ProviderEventId))
            .Select(e => e.ProviderEventId!);
        var inbound = db.InboundMessages.IgnoreQueryFilters()
            .Where(m => m.WorkspaceId == ws && m.ProviderMessageId != null && keys.Contains(m.ProviderMessageId))
            .Select(m => m.ProviderMessageId!);
        return new HashSet<string>(await deliveries.Concat(events).Concat(inbound).ToListAsync(ct), StringComparer.Ordinal);
    }

    /// <summary>One event: its own key (so a replay hits the unique index); a batch: a hash of all its keys.</summary>
    static string DeliveryKey(IReadOnlyList<WebhookEvent> events) => events.Count == 1
        ? Truncate(events[0].DedupeKey)
        : "batch:" + Hash(string.Join('\n', events.Select(e => e.DedupeKey).Order(StringComparer.Ordinal)));

    static string Truncate(string key) => key.Length <= MaxKeyLength ? key : "sha256:" + Hash(key);

    static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    async Task FinishAsync(WebhookDelivery delivery, WebhookOutcome outcome, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUniversalTime();
        delivery.Outcome = outcome;
        delivery.Error = error is { Length: > 2000 } ? error[..2000] : error;
        delivery.ProcessedAt = now;
        delivery.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Lost a replay race → duplicate; anything else → failed, kept for reprocessing.</summary>
    async Task<WebhookDelivery> RecordFailureAsync(WebhookDelivery delivery, Exception e, CancellationToken ct)
    {
        var attempted = delivery.DedupeKey;
        db.ChangeTracker.Clear();
        var row = await db.WebhookDeliveries.IgnoreQueryFilters()
            .FirstAsync(w => w.WorkspaceId == delivery.WorkspaceId && w.Id == delivery.Id, ct);
        var lostRace = e is DbUpdateException && attempted is not null && await db.WebhookDeliveries.IgnoreQueryFilters()
            .AnyAsync(w => w.WorkspaceId == row.WorkspaceId && w.Provider == row.Provider && w.DedupeKey == attempted && w.Id != row.Id, ct);
        if (!lostRace) log.LogError(e, "Webhook delivery {DeliveryId} ({Provider}) failed to apply", row.Id, row.Provider);
        row.DedupeKey = null;
        row.Outcome = lostRace ? WebhookOutcome.Duplicate : WebhookOutcome.Failed;
        var error = lostRace ? null : $"{e.GetType().Name}: {e.InnerException?.Message ?? e.Message}";
        row.Error = error is { Length: > 2000 } ? error[..2000] : error;
        row.ProcessedAt = lostRace ? clock.GetUtcNow().ToUniversalTime() : null;
        row.UpdatedAt = clock.GetUtcNow().ToUniversalTime();
        await db.SaveChangesAsync(ct);
        return row;
    }
}
