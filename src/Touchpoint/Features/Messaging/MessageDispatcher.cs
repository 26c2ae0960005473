using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Features.Policy;
using Touchpoint.Features.RateLimits;
using Touchpoint.Jobs;
using Touchpoint.Providers;

namespace Touchpoint.Features.Messaging;

/// <summary>
/// Told, inside the dispatcher's (or a delivery webhook's) unit of work, that a message reached an outcome (sent, failed, denied,
/// uncertain). The campaign engine listens to move enrollments on; implementations add rows, they don't save.
/// </summary>
public interface IMessageOutcomeListener
{
    Task OnDispatchOutcomeAsync(OutboundMessage message, CancellationToken ct);
}

/// <summary>
/// The back half of the pipeline (ARCHITECTURE §4 step 5): the <c>message.dispatch</c> job. Re-checks policy at
/// send time (a STOP that arrived after queueing must win), marks the row <c>sending</c> with a lease, calls the
/// provider, and writes the result. A re-run that finds the row still <c>sending</c> means a crash happened
/// between the provider call and the status write: it asks the provider (lookup by idempotency key) and marks
/// the message <c>uncertain</c> when it cannot know — it never sends blindly a second time.
/// </summary>
public sealed partial class MessageDispatcher(TouchpointDb db, PolicyGate gate, ProviderAccounts accounts, SendRateLimiter limiter,
    IServiceProvider services, IEnumerable<IMessageOutcomeListener> listeners, IOptions<SchedulerOptions> scheduler,
    IOptions<RateLimitOptions> rateLimits, IConfiguration config, TimeProvider clock, ILogger<MessageDispatcher> log) : IJobHandler
{
    public const string Kind = DispatchJob.Kind;

    public async Task HandleAsync(ClaimedJob job, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<DispatchPayload>(job.PayloadJson, JsonSerializerOptions.Web)
            ?? throw new PermanentJobFailure("dispatch payload is empty");
        // One connection for the whole job (closed when the job's scope disposes the context). Otherwise EF takes a
        // pooled connection per query — about 15 per message — and Npgsql resets each reuse with DISCARD ALL.
        await db.Database.OpenConnectionAsync(ct);
        var message = await db.OutboundMessages.FirstOrDefaultAsync(m => m.WorkspaceId == job.WorkspaceId && m.Id == payload.MessageId, ct)
            ?? throw new PermanentJobFailure($"message {payload.MessageId} does not exist");

        switch (message.Status)
        {
            case MessageStatus.Queued or MessageStatus.Scheduled:
                await DispatchAsync(message, job, ct);
                return;
            case MessageStatus.Sending:
                await ReconcileAsync(message, job, ct);
                return;
            default:
                return; // already decided (sent, failed, denied, uncertain…): a repeated job changes nothing
        }
    }

    async Task DispatchAsync(OutboundMessage message, ClaimedJob job, CancellationToken ct)
    {
        var purpose = WireName.TryParse<MessagePurpose>(message.Purpose, out var p) ? p : MessagePurpose.Marketing;
        var decided = await gate.DecideAsync(message.WorkspaceId, message.ContactId, message.Channel, purpose,
            message.CampaignId, message.EnrollmentId, message.Id, ct)
            ?? throw new PermanentJobFailure($"contact {message.ContactId} of message {message.Id} no longer exists");
        var (verdict, decision) = decided;
        message.PolicyDecisionId = decision.Id;
        var now = Now();

        if (!verdict.AllowSend)
        {
            if (verdict.NextAllowedAt is { } next)
            {
                // Only time stands in the way: come back when it is allowed (a new job row per postponement).
                message.Status = MessageStatus.Scheduled;
                message.ScheduledFor = next.ToDateTimeOffset().ToUniversalTime();
                var retry = DispatchJob.For(message, message.ScheduledFor.Value, scheduler.Value.MaxAttempts, now, postponed: true);
                if (!await db.ScheduledActions.AnyAsync(a => a.WorkspaceId == retry.WorkspaceId && a.IdempotencyKey == retry.IdempotencyKey, ct))
                    db.ScheduledActions.Add(retry);
                await FinishAsync(message, decision, now, notify: false, ct);
                return;
            }
            message.Status = MessageStatus.Denied;
            message.ErrorCode = verdict.ReasonCode;
            await FinishAsync(message, decision, now, notify: true, ct);
            return;
        }

        var provider = services.GetKeyedService<IMessageProvider>(message.Provider);
        if (provider is null || !provider.Supports(message.Channel) || message.ToAddress is null)
        {
            message.Status = MessageStatus.Failed;
            message.ErrorCode = MessageErrors.ProviderNotConfigured;
            message.ErrorMessage = provider is null ? $"provider '{message.Provider}' is not available"
                : message.ToAddress is null ? "the contact has no address on this channel"
                : $"provider '{message.Provider}' cannot send {WireName.Of(message.Channel)}";
            await FinishAsync(message, decision, now, notify: true, ct);
            return;
        }

        var account = await accounts.ForAsync(message.WorkspaceId, message.Channel, message.Provider, ct);
        var wait = await limiter.TryAcquireAsync(message.WorkspaceId, RateLimitKeys(message, account), now, ct);
        if (wait > TimeSpan.Zero)
        {
            // Excess work waits, it is not failed: a new dispatch row when a token is free. The jitter spreads a burst
            // that all saw the same wait so the retries do not collide again on the next token.
            var spread = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Min(30_000, Math.Max(1, wait.TotalMilliseconds * 4))));
            var later = DispatchJob.For(message, now + wait + spread, scheduler.Value.MaxAttempts, now, postponed: true);
            if (!await db.ScheduledActions.AnyAsync(a => a.WorkspaceId == later.WorkspaceId && a.IdempotencyKey == later.IdempotencyKey, ct))
                db.ScheduledActions.Add(later);
            message.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            return;
        }
        var request = await RequestForAsync(message, now, ct);

        // The lease marks "a provider call may be in flight": only after it ends may a re-run reconcile. Taking it
        // is a conditional update, so of two workers holding the same message (a job lease that expired mid-batch
        // and was claimed again) exactly one calls the provider.
        // ...and it must outlast the call itself: the standard resilience handler gives up after 30 s in total, so a
        // shorter job lease (seconds, in tests) would let a re-run find no message at the provider while ours is in flight.
        var leaseUntil = now + (scheduler.Value.Lease > ProviderCallBound ? scheduler.Value.Lease : ProviderCallBound);
        var entry = db.Entry(message);
        var seenStatus = entry.Property(m => m.Status).OriginalValue; // as read: a reconciling re-run saw `sending`
        var seenLease = entry.Property(m => m.SendingLeaseUntil).OriginalValue;
        var taken = await db.OutboundMessages
            .Where(m => m.WorkspaceId == message.WorkspaceId && m.Id == message.Id && m.Status == seenStatus && m.SendingLeaseUntil == seenLease)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, MessageStatus.Sending)
                .SetProperty(m => m.SendingLeaseUntil, leaseUntil).SetProperty(m => m.UpdatedAt, now), ct);
        // The loser must not complete its job: if it is the job's current owner and the winner (a worker whose lease
        // had run out) dies before writing the outcome, no job would be left to reconcile the message. Failing makes
        // the queue retry; the retry finds `sending` and waits for the outcome or for the lease to end.
        if (taken == 0)
            throw new InvalidOperationException($"message {message.Id} was taken for sending by another worker");
        message.Status = MessageStatus.Sending;
        message.SendingLeaseUntil = leaseUntil;
        message.UpdatedAt = now;
        db.MessageEvents.Add(MessageHistory.StatusEvent(message, now));
        await db.SaveChangesAsync(ct);

        ProviderSendResult result;
        try
        {
            result = await provider.SendAsync(request, account, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await SendThrewAsync(message, provider, request, account, job, decision, e, ct);
            return;
        }
        await ApplyResultAsync(message, result, decision, ct);
    }

    static readonly TimeSpan ProviderCallBound = TimeSpan.FromSeconds(35);

    /// <summary>
    /// The provider call threw. When the request provably never reached the provider (connection refused, 5xx/429
    /// answers) it is retried by the queue; otherwise the outcome is unknown and the lookup decides.
    /// </summary>
    async Task SendThrewAsync(OutboundMessage message, IMessageProvider provider, ProviderSendRequest request,
        ProviderAccount account, ClaimedJob job, PolicyDecision decision, Exception error, CancellationToken ct)
    {
        LogSendFailed(log, error, message.Id, message.Provider);
        if (!NeverReachedProvider(error))
        {
            var lookup = await SafeLookupAsync(provider, request, account, ct);
            if (lookup is ProviderLookupResult.Found found)
            {
                await ApplyResultAsync(message, new ProviderSendResult.Accepted(found.ProviderMessageId, found.Status), decision, ct);
                return;
            }
            if (lookup is not ProviderLookupResult.NotFound)
            {
                await MarkUncertainAsync(message, $"send outcome unknown: {error.GetType().Name}: {error.Message}", ct);
                return;
            }
        }
        if (job.Attempts >= job.MaxAttempts)
        {
            message.Status = MessageStatus.Failed;
            message.SendingLeaseUntil = null;
            message.ErrorCode = MessageErrors.ProviderUnreachable;
            message.ErrorMessage = $"{error.GetType().Name}: {error.Message}";
            await FinishAfterSendAsync([(message, decision)], Now(), ct);
            return;
        }
        message.Status = MessageStatus.Queued;
        message.SendingLeaseUntil = null;
        message.UpdatedAt = Now();
        await db.SaveChangesAsync(ct);
        throw new ProviderUnavailableException($"provider {message.Provider} unavailable, will retry: {error.Message}", error);
    }

    /// <summary>A re-run found the row <c>sending</c>: a previous attempt crashed mid-send (or still runs).</summary>
    async Task ReconcileAsync(OutboundMessage message, ClaimedJob job, CancellationToken ct)
    {
        if (message.SendingLeaseUntil is { } until && until > Now())
        {
            // Another worker may still be calling the provider: come back when its lease ends (a new row, like a
            // postponement) rather than failing. Failed attempts back off in seconds and can run out long before a
            // sending lease does (≥ 35 s), which left a worker's in-flight messages `sending` with no job to reconcile them.
            var later = DispatchJob.For(message, until, scheduler.Value.MaxAttempts, Now(), postponed: true);
            if (!await db.ScheduledActions.AnyAsync(a => a.WorkspaceId == later.WorkspaceId && a.IdempotencyKey == later.IdempotencyKey, ct))
            {
                db.ScheduledActions.Add(later);
                await db.SaveChangesAsync(ct);
            }
            LogWaitingForLease(log, message.Id, until);
            return;
        }
        var provider = services.GetKeyedService<IMessageProvider>(message.Provider);
        if (provider is null || message.ToAddress is null)
        {
            await MarkUncertainAsync(message, "crashed while sending; provider unavailable for lookup", ct);
            return;
        }
        var account = await accounts.ForAsync(message.WorkspaceId, message.Channel, message.Provider, ct);
        var request = await RequestForAsync(message, Now(), ct);
        switch (await SafeLookupAsync(provider, request, account, ct))
        {
            case ProviderLookupResult.Found found:
                await ApplyResultAsync(message, new ProviderSendResult.Accepted(found.ProviderMessageId, found.Status), null, ct);
                break;
            case ProviderLookupResult.NotFound:
                message.Status = MessageStatus.Queued; // the provider never got it: safe to send now
                message.SendingLeaseUntil = null;
                await DispatchAsync(message, job, ct);
                break;
            default:
                await MarkUncertainAsync(message, "crashed between the provider call and the status write; the provider has no lookup", ct);
                break;
        }
    }

    async Task<ProviderLookupResult> SafeLookupAsync(IMessageProvider provider, ProviderSendRequest request, ProviderAccount account, CancellationToken ct)
    {
        try
        {
            return await provider.LookupAsync(request, account, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogSendFailed(log, e, request.MessageId, provider.Name);
            return ProviderLookupResult.Unsupported;
        }
    }

    async Task<ProviderSendRequest> RequestForAsync(OutboundMessage message, DateTimeOffset now, CancellationToken ct)
    {
        var providerTemplate = message.TemplateKey is { } key
            ? await db.MessageTemplates.Where(t => t.WorkspaceId == message.WorkspaceId && t.Key == key)
                .Select(t => t.ProviderTemplate).FirstOrDefaultAsync(ct)
            : null;
        // Only WhatsApp has a customer-service window; every other send skips this query on the hot path.
        var lastInbound = message.Channel != Channel.Whatsapp ? null : await db.InboundMessages
            .Where(i => i.WorkspaceId == message.WorkspaceId && i.ContactId == message.ContactId && i.Channel == message.Channel)
            .MaxAsync(i => (DateTimeOffset?)i.ReceivedAt, ct);
        return BuildRequest(message, providerTemplate, lastInbound, now);
    }

    ProviderSendRequest BuildRequest(OutboundMessage message, string? providerTemplate, DateTimeOffset? lastInbound, DateTimeOffset now)
    {
        var publicBase = config["Touchpoint:PublicBaseUrl"] ?? "http://localhost:5080";
        return new ProviderSendRequest(message.WorkspaceId, message.Id, message.IdempotencyKey, message.ContactId, message.Channel,
            message.ToAddress!, message.FromAddress, message.Subject, message.Body ?? "", message.CampaignId, message.StepIndex,
            providerTemplate, JsonNode.Parse(message.VariablesJson) as JsonObject,
            StatusCallbackUrl: StatusCallbackUrl.For(publicBase, message.Provider, message.WorkspaceId, message.Id),
            UnsubscribeUrl: Inbound.UnsubscribeLinks.IsEmail(message) ? services.GetRequiredService<Inbound.UnsubscribeLinks>().For(message) : null,
            LastInboundAt: lastInbound, Now: now);
    }

    /// <summary>
    /// The buckets a send must pass (docs/messages.md): the provider account, the sending address and the workspace.
    /// The sandbox is not limited, so local runs and the simulator never wait on it.
    /// </summary>
    static IReadOnlyList<RateLimitKey> RateLimitKeys(OutboundMessage message, ProviderAccount account)
    {
        if (account.Provider == Touchpoint.Providers.Sandbox.SandboxProvider.ProviderName) return [];
        var keys = new List<RateLimitKey>(3)
        {
            new(RateLimitScope.ProviderAccount, $"{account.Provider}:{account.Setting("accountSid") ?? account.Setting("phoneNumberId") ?? account.Setting("baseUrl") ?? account.Setting("host") ?? "default"}"),
            new(RateLimitScope.Workspace, message.WorkspaceId.ToString()),
        };
        if ((message.FromAddress ?? account.Setting("from")) is { Length: > 0 } from) keys.Add(new(RateLimitScope.Sender, from));
        return keys;
    }

    static bool NeverReachedProvider(Exception e) => e switch
    {
        ProviderUnavailableException => true,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
        HttpRequestException { StatusCode: { } code } => (int)code >= 500 || code == HttpStatusCode.TooManyRequests,
        _ => false,
    };

    DateTimeOffset Now() => clock.GetUtcNow().ToUniversalTime();

    [LoggerMessage(LogLevel.Information, "Message {MessageId} is being sent by another worker until {Until}; its reconciliation is due then.")]
    static partial void LogWaitingForLease(ILogger logger, Guid messageId, DateTimeOffset until);

    [LoggerMessage(LogLevel.Warning, "Sending message {MessageId} through {Provider} failed.")]
    static partial void LogSendFailed(ILogger logger, Exception e, Guid messageId, string provider);
}

/// <summary>
/// Thrown by an adapter (or the dispatcher) when the provider certainly did not take the message — connection
/// refused, throttled, 5xx — so retrying cannot double-send.
/// </summary>
public sealed class ProviderUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
