using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Keywords;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Features.Webhooks;

/// <summary>
/// Applies one new (not yet seen) normalized event to the workspace's rows. Adds to the context only; the
/// <see cref="WebhookProcessor"/> saves everything of a delivery in one transaction. Queries name the
/// workspace explicitly because webhook requests are anonymous (no query-filter scope).
/// </summary>
public sealed class WebhookEventApplier(TouchpointDb db, IInboundEffects effects, IEnumerable<IInboundMessageListener> listeners,
    IEnumerable<Messaging.IMessageOutcomeListener> outcomeListeners, IEnumerable<IMessageEventListener> eventListeners, TimeProvider clock)
{
    public Task ApplyAsync(WebhookDelivery delivery, Workspace workspace, WebhookEvent e, CancellationToken ct) => e switch
    {
        InboundMessageReceived i => InboundAsync(delivery, workspace, i, ct),
        DeliveryStatusReported s => StatusAsync(delivery, s, "delivery_status", s.ProviderMessageId, s.TouchpointMessageId,
            s.Status, s.ErrorCode, s.OccurredAt, ct),
        CallStatusReported c => StatusAsync(delivery, c, "call_status", c.CallSid, c.TouchpointMessageId, c.Status, c.ErrorCode, null, ct),
        EmailEventReported m => EmailAsync(delivery, m, ct),
        _ => throw new InvalidOperationException($"No handler for {e.GetType().Name}."),
    };

    async Task InboundAsync(WebhookDelivery delivery, Workspace workspace, InboundMessageReceived i, CancellationToken ct)
    {
        var (address, _) = ChannelAddress.Normalize(i.Channel, i.From, workspace.DefaultRegion);
        if (address is not null && workspace.CreateContactsFromUnknownSenders) await LockSenderAsync(workspace.Id, address, ct);
        var contactId = address is null ? null : await MatchContactAsync(workspace.Id, i.Channel, address, ct);
        var match = KeywordClassifier.Classify(i.Body);
        var now = Now();
        var message = new InboundMessage
        {
            WorkspaceId = workspace.Id, ContactId = contactId, WebhookDeliveryId = delivery.Id, Channel = i.Channel,
            FromAddress = address ?? i.From, ToAddress = string.IsNullOrEmpty(i.To) ? null : i.To, Body = i.Body,
            ProviderMessageId = string.IsNullOrEmpty(i.ProviderMessageId) ? null : i.ProviderMessageId,
            KeywordClass = WireName.Of(match.Class), Keyword = match.Keyword, ReceivedAt = delivery.ReceivedAt,
            CreatedAt = now, UpdatedAt = now,
        };
        db.InboundMessages.Add(message);
        await effects.ApplyAsync(message, match, ct);
        // An unknown sender just became a contact: later deliveries of the batch must match it, not create another.
        if (contactId is null && message.ContactId is { } created && address is not null
            && prefetchedChannels.ContainsKey((workspace.Id, address)))
            prefetchedChannels[(workspace.Id, address)] = [new(created, i.Channel)];
        foreach (var listener in listeners) await listener.OnInboundAsync(message, match, ct);
    }

    // Filled by PrefetchInboundAsync for an ingest batch: the sender locks this transaction already holds, and what
    // each sender address matched at the start of the batch (an empty list = no contact holds it).
    readonly HashSet<long> lockedSenders = [];
    object? lockedIn;
    readonly Dictionary<(Guid Workspace, string Address), List<ChannelHolder>> prefetchedChannels = [];

    readonly record struct ChannelHolder(Guid ContactId, Channel Kind);

    /// <summary>
    /// For a whole ingest batch of replies: takes every sender lock in one statement (in key order, so batches applied
    /// side by side cannot deadlock on them), matches every sender address with one query, and lets the inbound effects
    /// and listeners load what they need for the matched contacts (<see cref="InboundSender"/>) at once, instead of a
    /// lock, a match and their own queries per reply.
    /// </summary>
    public async Task PrefetchInboundAsync(IReadOnlyList<(Workspace Workspace, InboundMessageReceived Event)> inbound, CancellationToken ct)
    {
        var senders = inbound
            .Select(x => (x.Workspace, x.Event.Channel, Address: ChannelAddress.Normalize(x.Event.Channel, x.Event.From, x.Workspace.DefaultRegion).Value))
            .Where(x => x.Address is not null).ToList();
        if (senders.Count == 0) return;
        if (db.Database.IsNpgsql())
        {
            ForgetLocksOfEarlierTransactions();
            var keys = senders.Where(s => s.Workspace.CreateContactsFromUnknownSenders)
                .Select(s => SenderLockKey(s.Workspace.Id, s.Address!)).Where(k => !lockedSenders.Contains(k)).Distinct().Order().ToArray();
            if (keys.Length > 0)
            {
                await db.Database.ExecuteSqlAsync(
                    $"SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT k FROM unnest({keys}) AS k ORDER BY k) AS sorted", ct);
                lockedSenders.UnionWith(keys);
            }
        }
        var workspaces = senders.Select(s => s.Workspace.Id).Distinct().ToList();
        var addresses = senders.Select(s => s.Address!).Distinct().ToList();
        foreach (var s in senders) prefetchedChannels.TryAdd((s.Workspace.Id, s.Address!), []);
        foreach (var c in await db.ContactChannels.IgnoreQueryFilters().AsNoTracking()
            .Where(c => workspaces.Contains(c.WorkspaceId) && addresses.Contains(c.Value))
            .Select(c => new { c.WorkspaceId, c.Value, c.ContactId, c.Kind }).ToListAsync(ct))
            if (prefetchedChannels.TryGetValue((c.WorkspaceId, c.Value), out var holders)) holders.Add(new(c.ContactId, c.Kind));

        var known = senders
            .Select(s => (s.Workspace.Id, s.Channel, Contact: BestHolder(prefetchedChannels[(s.Workspace.Id, s.Address!)], s.Channel)))
            .Where(s => s.Contact is not null).Select(s => new InboundSender(s.Id, s.Contact!.Value, s.Channel)).Distinct().ToList();
        if (known.Count == 0) return;
        await effects.PrepareBatchAsync(known, ct);
        foreach (var listener in listeners) await listener.PrepareBatchAsync(known, ct);
    }

    /// <summary>
    /// Two first messages from one unknown sender, applied at once, must not both miss the match and create two
    /// contacts. Until its transaction ends, a delivery holds a lock on (workspace, address): on PostgreSQL a
    /// transaction-scoped advisory lock, so the second waits and then matches the contact the first committed; SQLite
    /// transactions already start with the write lock (BEGIN IMMEDIATE), so they never overlap.
    /// </summary>
    async Task LockSenderAsync(Guid workspaceId, string address, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return;
        ForgetLocksOfEarlierTransactions();
        var key = SenderLockKey(workspaceId, address);
        if (!lockedSenders.Add(key)) return;
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
    }

    // Transaction-scoped locks end with their transaction; this unit of work may begin another one.
    void ForgetLocksOfEarlierTransactions()
    {
        if (ReferenceEquals(lockedIn, db.Database.CurrentTransaction)) return;
        lockedSenders.Clear();
        lockedIn = db.Database.CurrentTransaction;
    }

    static long SenderLockKey(Guid workspaceId, string address) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"inbound-sender:{workspaceId:N}:{address}")), 0);

    async Task<Guid?> MatchContactAsync(Guid workspaceId, Channel channel, string address, CancellationToken ct)
    {
        if (prefetchedChannels.TryGetValue((workspaceId, address), out var prefetched)) return BestHolder(prefetched, channel);
        var holders = await db.ContactChannels.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.Value == address)
            .Select(c => new ChannelHolder(c.ContactId, c.Kind)).ToListAsync(ct);
        return BestHolder(holders, channel);
    }

    // A phone reply may come on another phone channel than the one we stored (WhatsApp vs SMS): prefer the same kind.
    static Guid? BestHolder(List<ChannelHolder> holders, Channel channel)
    {
        foreach (var h in holders)
            if (h.Kind == channel) return h.ContactId;
        if (!ChannelAddress.IsPhoneChannel(channel)) return null;
        foreach (var h in holders)
            if (ChannelAddress.IsPhoneChannel(h.Kind)) return h.ContactId;
        return null;
    }

    async Task StatusAsync(WebhookDelivery delivery, WebhookEvent e, string eventType, string providerMessageId,
        string? touchpointMessageId, MessageStatus status, string? errorCode, DateTimeOffset? occurredAt, CancellationToken ct)
    {
        var message = await FindMessageAsync(delivery, providerMessageId, touchpointMessageId, ct);
        AddEvent(delivery, e, eventType, message, status, errorCode, occurredAt);
        if (message is null) return;
        await AdvanceAsync(message, status, errorCode, occurredAt, ct, mayDefer: true);
        await NotifyAsync(message, status switch { MessageStatus.Delivered => "delivered", MessageStatus.Read => "read", _ => null }, ct);
    }

    async Task NotifyAsync(OutboundMessage message, string? eventName, CancellationToken ct)
    {
        if (eventName is null) return;
        foreach (var listener in eventListeners) await listener.OnMessageEventAsync(message, eventName, ct);
    }

    async Task EmailAsync(WebhookDelivery delivery, EmailEventReported e, CancellationToken ct)
    {
        var message = e.ProviderMessageId is null && e.TouchpointMessageId is null ? null
            : await FindMessageAsync(delivery, e.ProviderMessageId ?? "", e.TouchpointMessageId, ct);
        AddEvent(delivery, e, "email_" + JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Kind.ToString()), message, e.Status, null, e.OccurredAt);
        if (message is not null && e.Status is { } status) await AdvanceAsync(message, status, null, e.OccurredAt, ct);
        await effects.ApplyAsync(e, message, ct);
        if (message is not null)
            await NotifyAsync(message, e.Kind switch
            {
                EmailEventKind.Delivered => "delivered",
                EmailEventKind.Opened => "opened",
                EmailEventKind.Clicked => "clicked",
                EmailEventKind.Bounced or EmailEventKind.Dropped => "bounced",
                _ => null,
            }, ct);
    }

    /// <summary>
    /// Forward only (<see cref="MessageStatusOrder"/>): a late <c>sent</c> never overwrites <c>delivered</c>. Decided on the
    /// row as stored, by a conditional UPDATE, not on the row as read: two callbacks for one message applied at once (two
    /// ingest loops, two nodes) must not let the one that commits last put a lower status back.
    /// </summary>
    async Task AdvanceAsync(OutboundMessage message, MessageStatus status, string? errorCode, DateTimeOffset? occurredAt, CancellationToken ct,
        bool mayDefer = false)
    {
        if (message.Status == status || !MessageStatusOrder.CanAdvance(message.Status, status)) return;
        var now = Now();
        var at = (occurredAt ?? now).ToUniversalTime();
        var from = MessageStatusOrder.StatusesThatMayAdvanceTo(status);
        DateTimeOffset? sentAt = status is MessageStatus.Sent ? at : null;
        DateTimeOffset? deliveredAt = status is MessageStatus.Delivered or MessageStatus.Read ? at : null;
        var failed = status is MessageStatus.Failed or MessageStatus.Undelivered;
        var error = failed ? errorCode : null;
        var advance = new StatusAdvance(message, status, from, now, sentAt, deliveredAt, error);
        if (mayDefer && DeferQuietAdvances && !failed && message.EnrollmentId is null)
        {
            // Nothing below reacts to this advance (no failure, not a campaign touch): the conditional UPDATE goes out with
            // the batch's others. Its condition still decides on the row as stored; a second advance of the same message
            // waits for the first to be written, so they apply in the order they came.
            if (quietAdvances.Any(q => q.Message.Id == message.Id)) await FlushQuietAdvancesAsync(ct);
            quietAdvances.Add(advance);
        }
        else
        {
            await FlushQuietAdvancesAsync(ct);
            if (!await StoreAdvanceAsync(advance, ct)) return; // someone else moved it on meanwhile
        }

        // The listeners below read the message: mirror the stored row (for a queued advance, the row as it will be stored
        // unless a concurrent writer moved it further), as unchanged, so saving does not write it again.
        var entry = db.Entry(message);
        void Stored(string property, object? value)
        {
            var stored = entry.Property(property);
            stored.CurrentValue = value;
            if (entry.State == EntityState.Detached) return;
            stored.OriginalValue = value;
            stored.IsModified = false;
        }
        Stored(nameof(OutboundMessage.Status), status);
        Stored(nameof(OutboundMessage.UpdatedAt), now);
        Stored(nameof(OutboundMessage.SentAt), message.SentAt ?? sentAt);
        Stored(nameof(OutboundMessage.DeliveredAt), message.DeliveredAt ?? deliveredAt);
        Stored(nameof(OutboundMessage.ErrorCode), error ?? message.ErrorCode);
        if (failed)
        {
            await effects.DeliveryFailedAsync(message, errorCode, ct);
            // A touch that failed after it was sent (landline 30006, invalid number…) goes back to the fallback engine.
            foreach (var listener in outcomeListeners) await listener.OnDispatchOutcomeAsync(message, ct);
        }
    }

    /// <summary>A message moved forward to <see cref="Status"/> if it is still in one of <see cref="From"/>.</summary>
    sealed record StatusAdvance(OutboundMessage Message, MessageStatus Status, IReadOnlyList<MessageStatus> From, DateTimeOffset Now,
        DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt, string? Error);

    /// <summary>
    /// Set by an ingest batch on PostgreSQL: advances nothing reacts to wait in <see cref="quietAdvances"/> and go out
    /// together (<see cref="FlushQuietAdvancesAsync"/>), before anything else that may read messages and at the batch's end.
    /// </summary>
    public bool DeferQuietAdvances { get; set; }

    readonly List<StatusAdvance> quietAdvances = [];

    /// <summary>
    /// The waiting advances, one UPDATE per target status over the messages' column arrays (JoinedRows): a statement of
    /// constant text per status, prepared once per connection, instead of one statement per callback. Each message is in
    /// the list once, so the order of the groups does not matter.
    /// </summary>
    public async Task FlushQuietAdvancesAsync(CancellationToken ct)
    {
        if (quietAdvances.Count == 0) return;
        var groups = quietAdvances.GroupBy(a => a.Status).ToList();
        quietAdvances.Clear();
        foreach (var group in groups)
        {
            var advances = group.ToList();
            await using var cmd = db.Database.CreateCommandInTransaction();
            var rows = JoinedRows.Add<OutboundMessage>(db, cmd, advances.Count,
                ("v_id", nameof(OutboundMessage.Id), n => advances[n].Message.Id),
                ("v_workspace", nameof(OutboundMessage.WorkspaceId), n => advances[n].Message.WorkspaceId),
                ("v_updated_at", nameof(OutboundMessage.UpdatedAt), n => advances[n].Now),
                ("v_sent_at", nameof(OutboundMessage.SentAt), n => advances[n].SentAt),
                ("v_delivered_at", nameof(OutboundMessage.DeliveredAt), n => advances[n].DeliveredAt),
                ("v_error_code", nameof(OutboundMessage.ErrorCode), n => advances[n].Error));
            var from = advances[0].From;
            ColumnParameter.For<OutboundMessage>(db, cmd, "s", nameof(OutboundMessage.Status), group.Key);
            for (var n = 0; n < from.Count; n++) ColumnParameter.For<OutboundMessage>(db, cmd, $"f{n}", nameof(OutboundMessage.Status), from[n]);
            cmd.CommandText = $"""
                {rows.With}
                UPDATE outbound_messages AS o SET status = @s, updated_at = v.v_updated_at, sent_at = COALESCE(o.sent_at, v.v_sent_at),
                    delivered_at = COALESCE(o.delivered_at, v.v_delivered_at), error_code = COALESCE(v.v_error_code, o.error_code)
                FROM {rows.From}
                WHERE o.workspace_id = v.v_workspace AND o.id = v.v_id
                    AND o.status IN ({string.Join(", ", Enumerable.Range(0, from.Count).Select(k => $"@f{k}"))})
                """;
            if (rows.IsColumnArrays) await cmd.PrepareAsync(ct);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// The forward-only UPDATE, on the row as stored: true when it moved the message. Hand-written because EF's
    /// ExecuteUpdate rebuilt, funcletized and looked up its expression tree for every callback — with SQLite's execution,
    /// most of a status callback's CPU (docs/benchmarks.md, session 9).
    /// </summary>
    async Task<bool> StoreAdvanceAsync(StatusAdvance advance, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = db.Database.CreateCommandInTransaction();
            cmd.CommandText = AdvanceStatement(advance, cmd);
            // PostgreSQL keeps a prepared statement per pooled connection: parsing and planning it was half its cost there.
            if (db.Database.IsNpgsql()) await cmd.PrepareAsync(ct);
            return await cmd.ExecuteNonQueryAsync(ct) > 0;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The UPDATE's text; its values go into <paramref name="cmd"/>.</summary>
    string AdvanceStatement(StatusAdvance a, DbCommand cmd)
    {
        void Add(string name, string property, object? value) => ColumnParameter.For<OutboundMessage>(db, cmd, name, property, value);
        Add("w", nameof(OutboundMessage.WorkspaceId), a.Message.WorkspaceId);
        Add("i", nameof(OutboundMessage.Id), a.Message.Id);
        Add("s", nameof(OutboundMessage.Status), a.Status);
        Add("u", nameof(OutboundMessage.UpdatedAt), a.Now);
        Add("t", nameof(OutboundMessage.SentAt), a.SentAt);
        Add("d", nameof(OutboundMessage.DeliveredAt), a.DeliveredAt);
        Add("e", nameof(OutboundMessage.ErrorCode), a.Error);
        for (var n = 0; n < a.From.Count; n++) Add($"f{n}", nameof(OutboundMessage.Status), a.From[n]);
        return $"""
            UPDATE outbound_messages SET status = @s, updated_at = @u, sent_at = COALESCE(sent_at, @t),
                delivered_at = COALESCE(delivered_at, @d), error_code = COALESCE(@e, error_code)
            WHERE workspace_id = @w AND id = @i AND status IN ({string.Join(", ", Enumerable.Range(0, a.From.Count).Select(k => $"@f{k}"))})
            """;
    }

    // Filled by PrefetchMessagesAsync for an ingest batch: what each event's message lookup would find (null = none).
    readonly Dictionary<Guid, OutboundMessage?> prefetchedById = [];
    readonly Dictionary<(Guid Workspace, string Provider, string Id), OutboundMessage?> prefetchedByProviderId = [];

    /// <summary>
    /// Loads the outbound messages a whole batch of status events refers to, with two queries instead of one or two per
    /// event. The rows are kept untracked and attached when used: the batch saves each delivery before the next one and
    /// clears the tracker, so a kept row always holds what was last written (nothing else writes it inside the batch).
    /// </summary>
    public async Task PrefetchMessagesAsync(IReadOnlyList<(WebhookDelivery Delivery, WebhookEvent Event)> events, CancellationToken ct)
    {
        var ids = new List<Guid>();
        var byProvider = new List<(Guid Workspace, string Provider, string Id)>();
        foreach (var (d, e) in events)
        {
            var (touchpointId, providerId) = e switch
            {
                DeliveryStatusReported s => (s.TouchpointMessageId, s.ProviderMessageId),
                CallStatusReported c => (c.TouchpointMessageId, c.CallSid),
                EmailEventReported m => (m.TouchpointMessageId, m.ProviderMessageId),
                _ => (null, null),
            };
            if (Guid.TryParse(touchpointId, out var id)) ids.Add(id);
            if (!string.IsNullOrEmpty(providerId)) byProvider.Add((d.WorkspaceId, d.Provider, providerId));
        }
        var workspaces = events.Select(e => e.Delivery.WorkspaceId).Distinct().ToList();
        if (ids.Count > 0)
        {
            foreach (var id in ids) prefetchedById[id] = null;
            foreach (var m in await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking()
                .Where(m => workspaces.Contains(m.WorkspaceId) && ids.Contains(m.Id)).ToListAsync(ct))
                prefetchedById[m.Id] = m;
        }
        if (byProvider.Count > 0)
        {
            foreach (var key in byProvider) prefetchedByProviderId[key] = null;
            var providers = byProvider.Select(k => k.Provider).Distinct().ToList();
            var providerIds = byProvider.Select(k => k.Id).Distinct().ToList();
            foreach (var m in await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking()
                .Where(m => workspaces.Contains(m.WorkspaceId) && providers.Contains(m.Provider) && providerIds.Contains(m.ProviderMessageId!))
                .ToListAsync(ct))
            {
                var key = (m.WorkspaceId, m.Provider, m.ProviderMessageId!);
                if (prefetchedByProviderId.ContainsKey(key)) prefetchedByProviderId[key] = prefetchedById.TryGetValue(m.Id, out var same) && same is not null ? same : m;
            }
        }
    }

    /// <summary>
    /// Before the batch clears its tracker: a message some other code loaded and changed through its own instance makes
    /// the kept row stale, so later events of the batch look that message up again.
    /// </summary>
    public void ForgetMessagesChangedElsewhere()
    {
        if (prefetchedById.Count + prefetchedByProviderId.Count == 0) return;
        foreach (var message in TrackedMessages())
        {
            var id = message.Id;
            if (prefetchedById.TryGetValue(id, out var kept) && kept is not null && !ReferenceEquals(kept, message))
                prefetchedById.Remove(id);
            foreach (var key in prefetchedByProviderId.Where(k => k.Value is { } m && m.Id == id && !ReferenceEquals(m, message))
                .Select(k => k.Key).ToList())
                prefetchedByProviderId.Remove(key);
        }
    }

    // Entries<T>() would run change detection over everything tracked on every call; this only lists.
    List<OutboundMessage> TrackedMessages() => [.. db.ChangeTracker.WithoutDetectingChanges<OutboundMessage>().Select(e => e.Entity)];

    /// <summary>A prefetched row, attached to this unit of work (or the instance already tracked for it).</summary>
    OutboundMessage? Tracked(OutboundMessage? row)
    {
        if (row is null) return null;
        if (TrackedMessages().FirstOrDefault(m => m.WorkspaceId == row.WorkspaceId && m.Id == row.Id) is { } tracked) return tracked;
        db.OutboundMessages.Attach(row);
        return row;
    }

    async Task<OutboundMessage?> FindMessageAsync(WebhookDelivery delivery, string providerMessageId, string? touchpointMessageId, CancellationToken ct)
    {
        if (Guid.TryParse(touchpointMessageId, out var ourId) && prefetchedById.TryGetValue(ourId, out var byId) && byId is not null
            && byId.WorkspaceId == delivery.WorkspaceId)
            return Tracked(byId);
        if ((!Guid.TryParse(touchpointMessageId, out _) || prefetchedById.ContainsKey(ourId))
            && prefetchedByProviderId.TryGetValue((delivery.WorkspaceId, delivery.Provider, providerMessageId), out var byProviderId))
            return Tracked(byProviderId);
        var query = db.OutboundMessages.IgnoreQueryFilters().Where(m => m.WorkspaceId == delivery.WorkspaceId);
        if (Guid.TryParse(touchpointMessageId, out var id) && await query.FirstOrDefaultAsync(m => m.Id == id, ct) is { } ours)
            return ours;
        if (string.IsNullOrEmpty(providerMessageId)) return null;
        // Our id when the event carries it (sandbox, SendGrid custom args, the generic provider, Twilio's callback URL, Meta's
        // biz_opaque_callback_data); otherwise, and for messages sent before ids were echoed, (provider, provider_message_id).
        var provider = delivery.Provider;
        return await query.FirstOrDefaultAsync(m => m.Provider == provider && m.ProviderMessageId == providerMessageId, ct);
    }

    void AddEvent(WebhookDelivery delivery, WebhookEvent e, string eventType, OutboundMessage? message,
        MessageStatus? status, string? errorCode, DateTimeOffset? occurredAt)
    {
        var now = Now();
        db.MessageEvents.Add(new MessageEvent
        {
            WorkspaceId = delivery.WorkspaceId, MessageId = message?.Id, ContactId = message?.ContactId,
            CampaignId = message?.CampaignId, EventType = eventType, Status = status, Provider = delivery.Provider,
            ProviderEventId = e.DedupeKey, ErrorCode = errorCode, PayloadJson = JsonSerializer.Serialize<object>(e),
            OccurredAt = (occurredAt ?? now).ToUniversalTime(), CreatedAt = now,
        });
    }

    DateTimeOffset Now() => clock.GetUtcNow().ToUniversalTime();
}
