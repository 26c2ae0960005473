using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Keywords;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Webhooks;

/// <summary>
/// Steps (c)–(e) of a verified, archived delivery: normalize, drop already-applied events, apply the rest in
/// one transaction. Shared by the ingest batches of <see cref="WebhookIngestBatcher"/> (receivers and sandbox) and
/// by reprocessing, so all behave the same. <see cref="ProcessAsync"/> never throws for bad input or apply errors:
/// the outcome (and error) is recorded on the delivery instead.
/// </summary>
public sealed class WebhookProcessor(TouchpointDb db, WebhookEventApplier applier, WebhookSecrets tenants, JobWakeup jobs, TimeProvider clock,
    ILogger<WebhookProcessor> log)
{
    const int MaxKeyLength = 300;

    /// <summary>One archived delivery, in its own transaction (reprocessing, and the fallback of a failed batch).</summary>
    public async Task<WebhookDelivery> ProcessAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var prepared = Prepare(delivery);
                var seen = await SeenAsync([prepared], ct);
                if (prepared.Events is { } && !prepared.IsDuplicate(seen))
                {
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    await ApplyAsync(prepared, seen, ct);
                    await tx.CommitAsync(ct);
                }
                else await ApplyAsync(prepared, seen, ct);
                return delivery;
            }
            catch (DbUpdateException e) when (attempt < WriteConflict.MaxAttempts && WriteConflict.Is(e))
            {
                // A sweep or the dispatcher wrote an enrollment or conversation this delivery changes after it was read:
                // nothing was stored, so apply it again on fresh reads.
                db.ChangeTracker.Clear();
                delivery = await db.WebhookDeliveries.IgnoreQueryFilters()
                    .FirstAsync(w => w.WorkspaceId == delivery.WorkspaceId && w.Id == delivery.Id, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return await RecordFailureAsync(delivery, e, ct);
            }
        }
    }

    /// <summary>
    /// Applies many archived deliveries in ONE transaction (the group commit of <see cref="WebhookIngestBatcher"/>).
    /// Each delivery's rows are flushed before the next one is applied, so a later delivery sees what an earlier one
    /// created (a contact for an unknown sender); the deliveries' outcomes and message events are written together at
    /// the end (<see cref="DeferredWrites"/>). Throws after rolling back when anything fails:
    /// the caller then applies the deliveries one at a time, so only the one that really fails is marked failed.
    /// </summary>
    public async Task ProcessBatchAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct)
    {
        // A failure abandons the whole batch anyway: no savepoint round trips around every SaveChanges.
        db.Database.AutoSavepointsEnabled = false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var prepared = deliveries.Select(Prepare).ToList();
        var seen = await SeenAsync(prepared, ct);
        await applier.PrefetchMessagesAsync([.. prepared.SelectMany(p => (p.Events ?? []).Select(e => (p.Delivery, e)))], ct);
        // Takes the batch's sender locks together, in one order for every batch, so batches side by side cannot deadlock.
        var inbound = new List<(Workspace, InboundMessageReceived)>();
        foreach (var p in prepared.Where(p => !p.IsDuplicate(seen)))
            foreach (var e in (p.Events ?? []).OfType<InboundMessageReceived>())
                if (await tenants.WorkspaceAsync(p.Delivery.WorkspaceId, ct) is { } workspace) inbound.Add((workspace, e));
        await applier.PrefetchInboundAsync(inbound, ct);
        var deferred = new DeferredWrites();
        var unsaved = false;
        // On PostgreSQL the status advances nothing reacts to go out together (one round trip, not one per callback);
        // anything but a status callback may read messages, so it first sees them stored.
        applier.DeferQuietAdvances = db.Database.IsNpgsql();
        foreach (var p in prepared)
        {
            if (p.Events is not { } events || !events.All(e => e is DeliveryStatusReported or CallStatusReported))
                await applier.FlushQuietAdvancesAsync(ct);
            // Plain replies only add rows and read nothing another delivery adds, so a run of them is saved together;
            // anything else first sees everything before it saved.
            var plain = IsPlainReply(p);
            if (!plain && unsaved) await SaveAndForgetAsync(ct);
            deferred.SaveLater = unsaved = plain;
            db.WebhookDeliveries.Attach(p.Delivery);
            await ApplyAsync(p, seen, ct, deferred);
            if (!plain) Forget();
        }
        if (unsaved) await SaveAndForgetAsync(ct);
        await applier.FlushQuietAdvancesAsync(ct);
        await db.InsertRowsAsync(deferred.Events, ct);
        await StoreOutcomesAsync(deferred.Deliveries, ct);
        await tx.CommitAsync(ct);
        // Jobs queued by replies went out with the replies' rows, past the save interceptor that wakes the job loops.
        if (queuedJobs) jobs.Wake();
    }

    bool queuedJobs;

    static bool IsPlainReply(PreparedDelivery p) => p.Events is { Count: > 0 } events
        && events.All(e => e is InboundMessageReceived i && KeywordClassifier.Classify(i.Body).Class == KeywordClass.None);

    async Task SaveAndForgetAsync(CancellationToken ct)
    {
        // One INSERT per table and one UPDATE of the conversations for the run on PostgreSQL, prepared single-row statements
        // on SQLite (MultiRowInsert, ModifiedRowsUpdate): either way cheaper than EF's save, which builds a command per row.
        queuedJobs |= db.ChangeTracker.WithoutDetectingChanges<ScheduledAction>().Any(e => e.State == EntityState.Added);
        await db.InsertAddedAsync(ReplyRows, ct);
        await db.UpdateModifiedAsync(ReplyUpdates, ct);
        await db.SaveChangesAsync(ct);
        Forget();
    }

    /// <summary>
    /// What a run of plain replies adds, row after row (the dispatcher's job included): written one INSERT per table for the
    /// whole run.
    /// </summary>
    static readonly HashSet<Type> ReplyRows =
    [
        typeof(Contact), typeof(ContactChannel), typeof(InboundMessage), typeof(MemoryEvent), typeof(Conversation),
        typeof(ConversationMessage), typeof(ScheduledAction),
    ];

    /// <summary>What a run of plain replies changes: each sender's conversation (its counters), set-based with its token.</summary>
    static readonly HashSet<Type> ReplyUpdates = [typeof(Conversation)];

    // Change detection scans every tracked row on each save: keep it to what is being applied.
    void Forget()
    {
        applier.ForgetMessagesChangedElsewhere();
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// What a batch writes once, at its end: the deliveries' outcomes and the message events they recorded — one UPDATE
    /// and one INSERT (per statement-sized chunk) instead of two statements per delivery (docs/decisions/0024). Nothing
    /// later in the batch reads them back: its dedupe is in memory (<see cref="SeenKeys"/>), and a replay racing another
    /// batch still fails on the unique dedupe index, at the end, which sends the batch one by one.
    /// </summary>
    sealed class DeferredWrites
    {
        /// <summary>The delivery being applied leaves its rows to be saved with the ones after it.</summary>
        public bool SaveLater { get; set; }

        public List<WebhookDelivery> Deliveries { get; } = [];
        public List<MessageEvent> Events { get; } = [];
    }

    /// <summary>A delivery's normalized events and the keys that identify them; <see cref="Events"/> null when there is nothing to apply.</summary>
    sealed record PreparedDelivery(WebhookDelivery Delivery, IReadOnlyList<WebhookEvent>? Events, WebhookOutcome Outcome, string? Note,
        string DeliveryKey)
    {
        public IEnumerable<string> Keys => Events is null ? [] : Events.Select(e => e.DedupeKey).Append(DeliveryKey).Distinct();

        public bool IsDuplicate(SeenKeys seen) =>
            Events is not null && (seen.Contains(Delivery, DeliveryKey) || Events.All(e => seen.Contains(Delivery, e.DedupeKey)));
    }

    static PreparedDelivery Prepare(WebhookDelivery delivery)
    {
        var normalization = WebhookPayloads.Normalize(delivery.Provider, delivery.Body, delivery.QueryString);
        if (normalization is not Normalized n)
            return new(delivery, null, WebhookOutcome.Unparsed, (normalization as Unparsed)?.Reason, "");
        var skipped = n.Skipped.Count > 0 ? "skipped: " + string.Join("; ", n.Skipped) : null;
        if (n.Events.Count == 0)
            return new(delivery, null, n.Skipped.Count > 0 ? WebhookOutcome.Unparsed : WebhookOutcome.Processed, skipped, "");
        return new(delivery, n.Events, WebhookOutcome.Processed, skipped, DeliveryKey(n.Events));
    }

    /// <summary>Applies one prepared delivery and records its outcome (saved, not committed: the caller owns the transaction).</summary>
    async Task ApplyAsync(PreparedDelivery p, SeenKeys seen, CancellationToken ct, DeferredWrites? deferred = null)
    {
        var delivery = p.Delivery;
        if (p.Events is not { } events)
        {
            await FinishAsync(delivery, p.Outcome, p.Note, deferred, ct);
            return;
        }
        if (p.IsDuplicate(seen))
        {
            await FinishAsync(delivery, WebhookOutcome.Duplicate, null, deferred, ct);
            return;
        }
        var fresh = events.Where(e => !seen.Contains(delivery, e.DedupeKey)).DistinctBy(e => e.DedupeKey).ToList();
        var workspace = await tenants.WorkspaceAsync(delivery.WorkspaceId, ct)
            ?? throw new InvalidOperationException($"Workspace {delivery.WorkspaceId} of delivery {delivery.Id} not found.");
        foreach (var e in fresh) await applier.ApplyAsync(delivery, workspace, e, ct);
        // The unique (workspace, provider, dedupe_key) index makes a concurrent replay fail here, atomically.
        delivery.DedupeKey = p.DeliveryKey;
        delivery.ProviderEventId = events.Count == 1 ? Truncate(events[0].DedupeKey) : null;
        var dropped = events.Count - fresh.Count;
        var note = dropped > 0 ? $"{dropped} event(s) already applied" : null;
        await FinishAsync(delivery, WebhookOutcome.Processed, string.Join("; ", new[] { p.Note, note }.OfType<string>()) is { Length: > 0 } s ? s : null,
            deferred, ct);
        seen.Applied(delivery, fresh, p.DeliveryKey);
    }

    /// <summary>
    /// Keys earlier deliveries already applied, for a whole batch with one query per place a key lives, plus the keys
    /// this batch applies as it goes (a replay inside the same batch is a duplicate too).
    /// </summary>
    sealed class SeenKeys
    {
        public readonly HashSet<(Guid Workspace, string Provider, string Key)> ByProvider = [];
        // Inbound messages are matched on their provider message id alone, whichever receiver took them.
        public readonly HashSet<(Guid Workspace, string Key)> Inbound = [];

        public bool Contains(WebhookDelivery d, string key) =>
            ByProvider.Contains((d.WorkspaceId, d.Provider, key)) || Inbound.Contains((d.WorkspaceId, key));

        public void Applied(WebhookDelivery d, IEnumerable<WebhookEvent> events, string deliveryKey)
        {
            ByProvider.Add((d.WorkspaceId, d.Provider, deliveryKey));
            foreach (var e in events)
            {
                ByProvider.Add((d.WorkspaceId, d.Provider, e.DedupeKey));
                if (e is InboundMessageReceived { ProviderMessageId: { Length: > 0 } mid }) Inbound.Add((d.WorkspaceId, mid));
            }
        }
    }

    async Task<SeenKeys> SeenAsync(IReadOnlyList<PreparedDelivery> prepared, CancellationToken ct)
    {
        var seen = new SeenKeys();
        var keys = prepared.SelectMany(p => p.Keys).Distinct().ToList();
        if (keys.Count == 0) return seen;
        var workspaces = prepared.Select(p => p.Delivery.WorkspaceId).Distinct().ToList();
        var providers = prepared.Select(p => p.Delivery.Provider).Distinct().ToList();
        var ids = prepared.Select(p => p.Delivery.Id).ToList();
        foreach (var d in await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(w => workspaces.Contains(w.WorkspaceId) && providers.Contains(w.Provider) && w.DedupeKey != null && keys.Contains(w.DedupeKey) && !ids.Contains(w.Id))
            .Select(w => new { w.WorkspaceId, w.Provider, w.DedupeKey }).ToListAsync(ct))
            seen.ByProvider.Add((d.WorkspaceId, d.Provider, d.DedupeKey!));
        // Batches (SendGrid, Meta) carry one delivery key for many events: per-event facts are found here. Only their
        // events are looked up: planning over every monthly partition of message_events was half the database's work
        // of a batch of Twilio callbacks.
        var batched = prepared.Where(p => WebhookProviders.BatchesEvents(p.Delivery.Provider)).ToList();
        var eventKeys = batched.SelectMany(p => p.Keys).Distinct().ToList();
        var eventProviders = batched.Select(p => p.Delivery.Provider).Distinct().ToList();
        if (eventKeys.Count > 0)
            foreach (var e in await db.MessageEvents.IgnoreQueryFilters().AsNoTracking()
                .Where(e => workspaces.Contains(e.WorkspaceId) && eventProviders.Contains(e.Provider!) && e.ProviderEventId != null && eventKeys.Contains(e.ProviderEventId))
                .Select(e => new { e.WorkspaceId, e.Provider, e.ProviderEventId }).ToListAsync(ct))
                if (e.Provider is { } provider) seen.ByProvider.Add((e.WorkspaceId, provider, e.ProviderEventId!));
        // Only a reply's key can be a stored reply's provider id: a batch of status callbacks skips this lookup.
        var replyKeys = prepared.SelectMany(p => (p.Events ?? []).OfType<InboundMessageReceived>()).Select(e => e.DedupeKey).Distinct().ToList();
        if (replyKeys.Count == 0) return seen;
        foreach (var m in await db.InboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => workspaces.Contains(m.WorkspaceId) && m.ProviderMessageId != null && replyKeys.Contains(m.ProviderMessageId))
            .Select(m => new { m.WorkspaceId, m.ProviderMessageId }).ToListAsync(ct))
            seen.Inbound.Add((m.WorkspaceId, m.ProviderMessageId!));
        return seen;
    }

    /// <summary>One event: its own key (so a replay hits the unique index); a batch: a hash of all its keys.</summary>
    static string DeliveryKey(IReadOnlyList<WebhookEvent> events) => events.Count == 1
        ? Truncate(events[0].DedupeKey)
        : "batch:" + Hash(string.Join('\n', events.Select(e => e.DedupeKey).Order(StringComparer.Ordinal)));

    static string Truncate(string key) => key.Length <= MaxKeyLength ? key : "sha256:" + Hash(key);

    static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Records the outcome and saves; in a batch the delivery and its message events are left to the batch's end.</summary>
    async Task FinishAsync(WebhookDelivery delivery, WebhookOutcome outcome, string? error, DeferredWrites? deferred, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUniversalTime();
        delivery.Outcome = outcome;
        delivery.Error = error is { Length: > 2000 } ? error[..2000] : error;
        delivery.ProcessedAt = now;
        delivery.UpdatedAt = now;
        if (deferred is not null)
        {
            // Message events are only ever added: no need to scan the run's other rows for changes to find them.
            foreach (var added in db.ChangeTracker.WithoutDetectingChanges<MessageEvent>().Where(e => e.State == EntityState.Added))
            {
                deferred.Events.Add(added.Entity);
                added.State = EntityState.Detached;
            }
            db.Entry(delivery).State = EntityState.Detached;
            deferred.Deliveries.Add(delivery);
            if (deferred.SaveLater) return;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The outcome columns of many archived deliveries, by key: on PostgreSQL one UPDATE joined to the deliveries' column
    /// arrays (one round trip); on SQLite one single-row UPDATE, prepared once and run per delivery — there is no round
    /// trip to save, and a long statement is parsed anew per chunk and binds each named parameter by a scan of all of them.
    /// </summary>
    async Task StoreOutcomesAsync(List<WebhookDelivery> deliveries, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            await using var one = db.Database.CreateCommandInTransaction();
            one.CommandText = """
                UPDATE webhook_deliveries SET outcome = @o, error = @e, processed_at = @p, updated_at = @u, dedupe_key = @k,
                    provider_event_id = @v
                WHERE workspace_id = @w AND id = @i
                """;
            foreach (var d in deliveries)
            {
                one.Parameters.Clear();
                AddOutcome(one, d);
                await one.ExecuteNonQueryAsync(ct);
            }
            return;
        }
        // One statement of constant text for any number of deliveries (column arrays): prepared once per connection.
        await using var cmd = db.Database.CreateCommandInTransaction();
        var rows = JoinedRows.Add<WebhookDelivery>(db, cmd, deliveries.Count,
            ("v_id", nameof(WebhookDelivery.Id), n => deliveries[n].Id),
            ("v_workspace", nameof(WebhookDelivery.WorkspaceId), n => deliveries[n].WorkspaceId),
            ("v_outcome", nameof(WebhookDelivery.Outcome), n => deliveries[n].Outcome),
            ("v_error", nameof(WebhookDelivery.Error), n => deliveries[n].Error),
            ("v_processed_at", nameof(WebhookDelivery.ProcessedAt), n => deliveries[n].ProcessedAt),
            ("v_updated_at", nameof(WebhookDelivery.UpdatedAt), n => deliveries[n].UpdatedAt),
            ("v_dedupe_key", nameof(WebhookDelivery.DedupeKey), n => deliveries[n].DedupeKey),
            ("v_provider_event_id", nameof(WebhookDelivery.ProviderEventId), n => deliveries[n].ProviderEventId));
        cmd.CommandText = $"""
            {rows.With}
            UPDATE webhook_deliveries AS w SET outcome = v.v_outcome, error = v.v_error, processed_at = v.v_processed_at,
                updated_at = v.v_updated_at, dedupe_key = v.v_dedupe_key, provider_event_id = v.v_provider_event_id
            FROM {rows.From}
            WHERE w.workspace_id = v.v_workspace AND w.id = v.v_id
            """;
        if (rows.IsColumnArrays) await cmd.PrepareAsync(ct);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One delivery's key and outcome columns as <c>@w</c>, <c>@i</c>, <c>@o</c>….</summary>
    void AddOutcome(DbCommand cmd, WebhookDelivery d)
    {
        void Stored(string name, string property, object? value) => ColumnParameter.For<WebhookDelivery>(db, cmd, name, property, value);
        Stored("w", nameof(WebhookDelivery.WorkspaceId), d.WorkspaceId);
        Stored("i", nameof(WebhookDelivery.Id), d.Id);
        Stored("o", nameof(WebhookDelivery.Outcome), d.Outcome);
        Stored("e", nameof(WebhookDelivery.Error), d.Error);
        Stored("p", nameof(WebhookDelivery.ProcessedAt), d.ProcessedAt);
        Stored("u", nameof(WebhookDelivery.UpdatedAt), d.UpdatedAt);
        Stored("k", nameof(WebhookDelivery.DedupeKey), d.DedupeKey);
        Stored("v", nameof(WebhookDelivery.ProviderEventId), d.ProviderEventId);
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
