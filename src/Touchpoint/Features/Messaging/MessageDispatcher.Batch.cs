using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Policy;
using Touchpoint.Features.RateLimits;
using Touchpoint.Jobs;
using Touchpoint.Providers;
using Touchpoint.Providers.Sandbox;

namespace Touchpoint.Features.Messaging;

/// <summary>
/// The batch path of <c>message.dispatch</c> (docs/decisions/0021-batch-dispatch.md): the common case — a queued
/// message the policy allows now, with no rate limit in the way — for all claimed jobs of one workspace with one
/// query per kind of input, one conditional UPDATE for the sending leases, provider calls in parallel and one save
/// for the outcomes. Everything else (a row found <c>sending</c>, a denial or postponement, a bucket that could make
/// the send wait, an opt-out confirmation, WhatsApp's service window, a missing provider) is handed back to the runner
/// as <see cref="BatchJobResult.RunAlone"/> and goes through <see cref="HandleAsync"/> exactly as before.
/// </summary>
public sealed partial class MessageDispatcher : IBatchJobHandler
{
    /// <summary>Provider calls of one batch in flight at once (HTTP adapters; the sandbox writes to the context, so it runs alone).</summary>
    const int ProviderParallelism = 16;

    sealed class Candidate(int index, OutboundMessage message, IMessageProvider provider)
    {
        public int Index { get; } = index;
        public OutboundMessage Message { get; } = message;
        public IMessageProvider Provider { get; } = provider;
        public PolicyVerdict Verdict { get; set; } = null!;
        public PolicyDecision Decision { get; set; } = null!;
        public ProviderAccount Account { get; set; } = null!;
        public ProviderSendRequest Request { get; set; } = null!;
        public ProviderSendResult? Result { get; set; }
        public Exception? Error { get; set; }
    }

    public async Task<IReadOnlyList<BatchJobResult>> HandleBatchAsync(IReadOnlyList<ClaimedJob> jobs, CancellationToken ct)
    {
        var results = Enumerable.Repeat(BatchJobResult.RunAlone, jobs.Count).ToArray();
        var workspaceId = jobs[0].WorkspaceId; // the runner groups a batch by kind and workspace
        var jobOf = new Dictionary<Guid, int>();
        for (var n = 0; n < jobs.Count; n++)
        {
            // A payload that does not parse, or a second job for the same message, is the single path's to report.
            if (jobs[n].WorkspaceId == workspaceId && TryReadPayload(jobs[n]) is { } payload) jobOf.TryAdd(payload.MessageId, n);
        }
        if (jobOf.Count == 0) return results;

        await db.Database.OpenConnectionAsync(ct);
        var ids = jobOf.Keys.ToList();
        var messages = await db.OutboundMessages.Where(m => m.WorkspaceId == workspaceId && ids.Contains(m.Id)).ToListAsync(ct);
        var candidates = new List<Candidate>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Status is not (MessageStatus.Queued or MessageStatus.Scheduled) || message.SendingLeaseUntil is not null) continue;
            if (message.ToAddress is null || message.Channel == Channel.Whatsapp) continue; // WhatsApp: the service window query
            if (WireName.TryParse<MessagePurpose>(message.Purpose, out var purpose) && purpose == MessagePurpose.OptOutConfirmation)
                continue; // its decision needs the opt-out it confirms
            if (services.GetKeyedService<IMessageProvider>(message.Provider) is not { } provider || !provider.Supports(message.Channel)) continue;
            candidates.Add(new Candidate(jobOf[message.Id], message, provider));
        }
        if (candidates.Count == 0) return results;

        var now = Now();
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == workspaceId, ct);
        var contactIds = candidates.Select(c => c.Message.ContactId).Distinct().ToList();
        var contacts = await db.Contacts.AsNoTracking().Include(c => c.Channels).Where(c => contactIds.Contains(c.Id)).ToListAsync(ct);
        List<Guid> campaignIds = [.. candidates.Select(c => c.Message.CampaignId).OfType<Guid>().Distinct()];
        var inputs = await PolicyInputSet.LoadAsync(db, workspace, contacts, campaignIds, now, ct);
        // Only sends the policy allows now stay in the batch: a denial or a postponement is the single path's, which decides
        // again and records that decision.
        candidates.RemoveAll(c =>
        {
            var purpose = WireName.TryParse<MessagePurpose>(c.Message.Purpose, out var p) ? p : MessagePurpose.Marketing;
            var request = inputs.Build(c.Message.ContactId, c.Message.Channel, purpose, c.Message.CampaignId, now, c.Message.Id);
            if (request is null) return true;
            c.Verdict = PolicyEngine.Evaluate(request);
            return !c.Verdict.AllowSend;
        });

        var accountsSeen = new Dictionary<(Channel, string), ProviderAccount>();
        bool? configuredBuckets = null;
        var limited = new List<Candidate>();
        foreach (var c in candidates)
        {
            if (!accountsSeen.TryGetValue((c.Message.Channel, c.Message.Provider), out var account))
                accountsSeen[(c.Message.Channel, c.Message.Provider)] = account = await accounts.ForAsync(workspaceId, c.Message.Channel, c.Message.Provider, ct);
            c.Account = account;
            // A bucket can make this send wait when its scope has a default limit or the workspace configured any bucket;
            // then the limiter decides, one message at a time. Otherwise it would take no token and write nothing.
            var keys = RateLimitKeys(c.Message, account);
            if (keys.Count == 0) continue;
            if (keys.Any(k => !rateLimits.Value.For(k.Scope).IsUnlimited)) { limited.Add(c); continue; }
            configuredBuckets ??= await db.SendRateLimits.AnyAsync(r => r.WorkspaceId == workspaceId && r.Configured, ct);
            if (configuredBuckets.Value) limited.Add(c);
        }
        candidates.RemoveAll(limited.Contains);
        if (candidates.Count == 0) return results;

        var templateKeys = candidates.Select(c => c.Message.TemplateKey).OfType<string>().Distinct().ToList();
        var providerTemplates = templateKeys.Count == 0 ? [] : await db.MessageTemplates
            .Where(t => t.WorkspaceId == workspaceId && templateKeys.Contains(t.Key))
            .Select(t => new { t.Key, t.ProviderTemplate }).ToDictionaryAsync(t => t.Key, t => t.ProviderTemplate, ct);

        // The sending leases with their decisions, all in one conditional UPDATE: a row another worker took in between is
        // not returned, and that job fails its attempt exactly as the single path's loser does. The winners' decision rows
        // and `sending` events go in the same transaction, committed before any provider call.
        var leaseUntil = now + (scheduler.Value.Lease > ProviderCallBound ? scheduler.Value.Lease : ProviderCallBound);
        foreach (var c in candidates)
        {
            var m = c.Message;
            c.Decision = PolicyGate.Decision(workspaceId, m.ContactId, m.Channel, m.CampaignId, m.EnrollmentId, m.Id, c.Verdict, now);
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var taken = await TakeSendingLeasesAsync(workspaceId, candidates, leaseUntil, now, ct);
            foreach (var c in candidates.Where(c => !taken.Contains(c.Message.Id)))
            {
                db.Entry(c.Message).State = EntityState.Detached;
                results[c.Index] = BatchJobResult.Failed(new InvalidOperationException($"message {c.Message.Id} was taken for sending by another worker"));
            }
            candidates.RemoveAll(c => !taken.Contains(c.Message.Id));
            foreach (var c in candidates)
            {
                var m = c.Message;
                m.PolicyDecisionId = c.Decision.Id;
                m.Status = MessageStatus.Sending;
                m.SendingLeaseUntil = leaseUntil;
                m.UpdatedAt = now;
                AcceptAsStored(m); // the UPDATE above wrote these
                c.Request = BuildRequest(m, m.TemplateKey is { } key ? providerTemplates.GetValueOrDefault(key) : null, null, now);
            }
            await db.InsertRowsAsync([.. candidates.Select(c => c.Decision)], ct);
            await db.InsertRowsAsync([.. candidates.Select(c => MessageHistory.StatusEvent(c.Message, now))], ct);
            await tx.CommitAsync(ct);
        }
        if (candidates.Count == 0) return results;

        foreach (var c in candidates.Where(c => c.Provider is SandboxProvider)) await SendOneAsync(c, ct);
        await Parallel.ForEachAsync(candidates.Where(c => c.Provider is not SandboxProvider),
            new ParallelOptions { MaxDegreeOfParallelism = ProviderParallelism }, async (c, _) => await SendOneAsync(c, ct));

        // Every answered send in one transaction: outcome, events, timeline, listeners' rows and the contacts' last touch.
        // Written even when shutdown began during the calls: these messages did reach their provider. The status moves
        // forward only: a callback matched by our id may have delivered a message while its call was in flight.
        var finishedAt = Now();
        var answered = candidates.Where(c => c.Result is not null).ToList();
        foreach (var c in answered)
        {
            ApplyResult(c.Message, c.Result!, finishedAt);
            results[c.Index] = BatchJobResult.Done;
        }
        if (answered.Count > 0)
        {
            var none = CancellationToken.None;
            await using var tx = await db.Database.BeginTransactionAsync(none);
            var touched = answered.Where(c => c.Result is ProviderSendResult.Accepted).Select(c => c.Message.ContactId).Distinct().ToList();
            if (touched.Count > 0)
                await db.Contacts.IgnoreQueryFilters().Where(x => x.WorkspaceId == workspaceId && touched.Contains(x.Id))
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastTouchAt, finishedAt).SetProperty(x => x.UpdatedAt, finishedAt), none);
            await FinishAfterSendAsync([.. answered.Select(c => (c.Message, (PolicyDecision?)c.Decision))], finishedAt, none);
            await tx.CommitAsync(none);
        }
        // Calls cut short by shutdown: their messages stay `sending` under the lease and are reconciled like a crash.
        ct.ThrowIfCancellationRequested();

        // A send that threw takes the single path's error handling (lookup, retry or uncertain), one message at a time.
        foreach (var c in candidates.Where(c => c.Error is not null))
        {
            try
            {
                await SendThrewAsync(c.Message, c.Provider, c.Request, c.Account, jobs[c.Index], c.Decision, c.Error!, ct);
                results[c.Index] = BatchJobResult.Done;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                results[c.Index] = BatchJobResult.Failed(e);
            }
        }
        return results;
    }

    async Task SendOneAsync(Candidate c, CancellationToken ct)
    {
        try
        {
            c.Result = await c.Provider.SendAsync(c.Request, c.Account, ct);
        }
        catch (Exception e)
        {
            c.Error = e;
        }
    }

    static DispatchPayload? TryReadPayload(ClaimedJob job)
    {
        try
        {
            return JsonSerializer.Deserialize<DispatchPayload>(job.PayloadJson, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>queued|scheduled → sending</c>, with each row's decision, for every candidate still without a lease, in one
    /// statement; returns the rows it changed. Raw SQL for <c>RETURNING</c> (EF's ExecuteUpdate only counts).
    /// </summary>
    async Task<HashSet<Guid>> TakeSendingLeasesAsync(Guid workspaceId, List<Candidate> candidates, DateTimeOffset leaseUntil,
        DateTimeOffset now, CancellationToken ct)
    {
        var taken = new HashSet<Guid>();
        foreach (var chunk in candidates.Chunk(Math.Max(1, (ColumnParameter.PerStatement(db) - 6) / 2)))
        {
            await using var cmd = db.Database.CreateCommandInTransaction();
            Stored(cmd, "w", nameof(OutboundMessage.WorkspaceId), workspaceId);
            Stored(cmd, "sending", nameof(OutboundMessage.Status), MessageStatus.Sending);
            Stored(cmd, "queued", nameof(OutboundMessage.Status), MessageStatus.Queued);
            Stored(cmd, "scheduled", nameof(OutboundMessage.Status), MessageStatus.Scheduled);
            Stored(cmd, "lease", nameof(OutboundMessage.SendingLeaseUntil), leaseUntil);
            Stored(cmd, "now", nameof(OutboundMessage.UpdatedAt), now);
            var rows = JoinedRows.Add<OutboundMessage>(db, cmd, chunk.Length,
                ("v_id", nameof(OutboundMessage.Id), n => chunk[n].Message.Id),
                ("v_decision", nameof(OutboundMessage.PolicyDecisionId), n => chunk[n].Decision.Id));
            cmd.CommandText = $"""
                {rows.With}
                UPDATE outbound_messages AS o SET status = @sending, sending_lease_until = @lease, updated_at = @now, policy_decision_id = v.v_decision
                FROM {rows.From}
                WHERE o.workspace_id = @w AND {rows.KeyMatches("o.id")} AND o.id = v.v_id AND o.status IN (@queued, @scheduled) AND o.sending_lease_until IS NULL
                RETURNING id
                """;
            if (rows.IsColumnArrays) await cmd.PrepareAsync(ct);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) taken.Add(reader.GetFieldValue<Guid>(0));
        }
        return taken;
    }

    void Stored(DbCommand cmd, string name, string property, object? value) => ColumnParameter.For<OutboundMessage>(db, cmd, name, property, value);

    /// <summary>Marks a tracked message as holding what is stored: hand-written SQL wrote its changed columns already.</summary>
    void AcceptAsStored(OutboundMessage message)
    {
        var entry = db.Entry(message);
        entry.OriginalValues.SetValues(entry.CurrentValues);
        entry.State = EntityState.Unchanged;
    }
}
