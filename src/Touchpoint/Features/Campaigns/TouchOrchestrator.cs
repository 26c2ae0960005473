using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Orchestration;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Messaging;

namespace Touchpoint.Features.Campaigns;

/// <summary>
/// Turns due enrollments into touches (ARCHITECTURE §4, seed 004 touch orchestrator): claims the enrollment,
/// asks <see cref="TouchPlanner"/> what is next, submits the touch through <see cref="MessageSubmission"/> (policy,
/// render, outbox) with the key <c>touch:{enrollment}:{step}:{channel}:{attempt}</c>, and stores the routing
/// state with the outbox row in one transaction. As the dispatcher's <see cref="IMessageOutcomeListener"/> it
/// feeds sent/failed/denied outcomes (and failed delivery reports) back into the planner.
/// </summary>
public sealed partial class TouchOrchestrator(TouchpointDb db, MessageSubmission submission, EnrollmentSignals signals,
    PlanCache plans, IOptions<CampaignEngineOptions> options, TimeProvider clock, ILogger<TouchOrchestrator> log) : IMessageOutcomeListener
{
    public const string Actor = "orchestrator";
    const int MaxDecisionsPerRun = 8;

    /// <summary>
    /// Claims and works one enrollment. <paramref name="expected"/> is the next_action_at the caller saw (the
    /// sweep); null claims it if it is due at all (per-enrollment jobs). False when another worker had it, it
    /// was not due, or its campaign is not active.
    /// </summary>
    public async Task<bool> ProcessAsync(Guid workspaceId, Guid enrollmentId, DateTimeOffset? expected, CancellationToken ct)
    {
        var now = Now();
        var rows = db.Enrollments.IgnoreQueryFilters().Where(e => e.WorkspaceId == workspaceId && e.Id == enrollmentId && !e.Paused);
        rows = expected is { } seen ? rows.Where(e => e.NextActionAt == seen) : rows.Where(e => e.NextActionAt != null && e.NextActionAt <= now);
        // The claim is a compare-and-set on next_action_at: of two workers only one moves it, the other sees 0 rows.
        DateTimeOffset? lease = now + options.Value.ClaimLease;
        if (await rows.ExecuteUpdateAsync(s => s.SetProperty(e => e.NextActionAt, lease), ct) == 0) return false;

        var enrollment = await db.Enrollments.IgnoreQueryFilters().FirstAsync(e => e.WorkspaceId == workspaceId && e.Id == enrollmentId, ct);
        var status = await db.Campaigns.IgnoreQueryFilters().Where(c => c.WorkspaceId == workspaceId && c.Id == enrollment.CampaignId)
            .Select(c => c.Status).FirstAsync(ct);
        if (status != CampaignStatus.Active)
        {
            // Paused (or completed) between the sweep and the claim: give the slot back untouched; resume continues here.
            enrollment.NextActionAt = expected ?? now;
            await db.SaveChangesAsync(ct);
            return false;
        }

        var plan = await plans.GetAsync(db, workspaceId, enrollment.PlanVersionId, ct);
        var reachable = await ReachableAsync(workspaceId, enrollment.ContactId, ct);
        var routing = TouchRouting.Parse(enrollment.RoutingJson);
        var settled = false;
        for (var i = 0; i < MaxDecisionsPerRun && !settled; i++)
        {
            var next = TouchPlanner.Next(Context(enrollment, plan, routing, reachable));
            RecordNotes(enrollment, next.Notes);
            if (next.Decision.Action != TouchAction.Send)
            {
                await ApplyAsync(enrollment, next, ct);
                settled = true;
                continue;
            }
            var afterSubmit = await SendAsync(enrollment, plan, next, ct);
            if (afterSubmit is null) settled = true; // pending: the dispatcher reports back
            else routing = afterSubmit;              // the submission already knew the outcome (denied, dry run…): decide again
        }
        if (!settled) enrollment.NextActionAt = Now(); // unusually many instant outcomes: continue on the next sweep
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The dispatcher (or a delivery report) settled a touch: record it and decide what follows.</summary>
    public async Task OnDispatchOutcomeAsync(OutboundMessage message, CancellationToken ct)
    {
        if (message.EnrollmentId is not { } enrollmentId || !message.IdempotencyKey.StartsWith(TouchKeys.Prefix, StringComparison.Ordinal)) return;
        var enrollment = await db.Enrollments.IgnoreQueryFilters()
            .FirstOrDefaultAsync(e => e.WorkspaceId == message.WorkspaceId && e.Id == enrollmentId, ct);
        if (enrollment is null) return;
        var now = Now();
        var (status, code, permanent, retryAt) = Classify(message, now);
        if (status == AttemptStatus.Pending) return;
        var before = TouchRouting.Parse(enrollment.RoutingJson);
        var routing = TouchPlanner.RecordOutcome(before, message.IdempotencyKey, message.Channel, status, now, code, permanent, retryAt);
        if (ReferenceEquals(routing, before)) return; // already known (repeated report)
        if (status == AttemptStatus.Sent)
            signals.Apply(enrollment, EnrollmentCause.TouchSent, Actor, new { messageId = message.Id, key = message.IdempotencyKey });
        enrollment.RoutingJson = routing.ToJson();
        enrollment.UpdatedAt = now;

        var plan = await plans.GetAsync(db, enrollment.WorkspaceId, enrollment.PlanVersionId, ct);
        var reachable = await ReachableAsync(enrollment.WorkspaceId, enrollment.ContactId, ct);
        var next = TouchPlanner.Next(Context(enrollment, plan, routing, reachable));
        if (next.Decision.Action == TouchAction.Send)
        {
            // Never submit inside the dispatcher's unit of work: make it due now and let its own job issue it.
            enrollment.NextActionAt = now;
            var job = TouchRunJob.For(enrollment, next.Decision.Key!, now);
            if (!db.ScheduledActions.Local.Any(a => a.WorkspaceId == job.WorkspaceId && a.IdempotencyKey == job.IdempotencyKey)
                && !await db.ScheduledActions.IgnoreQueryFilters().AnyAsync(a => a.WorkspaceId == job.WorkspaceId && a.IdempotencyKey == job.IdempotencyKey, ct))
                db.ScheduledActions.Add(job);
            return;
        }
        RecordNotes(enrollment, next.Notes);
        await ApplyAsync(enrollment, next, ct);
    }

    /// <summary>
    /// A delivery report said our touch failed or was undelivered (e.g. Twilio 30006 landline). The inbound
    /// effects call this; it is idempotent, so a report seen twice changes nothing.
    /// </summary>
    public Task DeliveryFailedAsync(OutboundMessage message, string? errorCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (errorCode is not null) message.ErrorCode = errorCode;
        return OnDispatchOutcomeAsync(message, ct);
    }

    async Task<TouchRouting?> SendAsync(Enrollment e, CampaignPlan plan, TouchPlan next, CancellationToken ct)
    {
        var d = next.Decision;
        var channel = d.Channel!.Value;
        var step = plan.Steps[d.Step];
        var now = Now();
        signals.Apply(e, EnrollmentCause.TouchQueued, Actor,
            new { step = d.Step, channel = WireName.Of(channel), attempt = d.Attempt, key = d.Key, reason = d.Reason });
        e.StepIndex = d.Step;
        e.CurrentChannel = channel;
        e.LastAttemptAt = now;
        e.AttemptsTotal++;
        e.NextActionAt = null;
        e.RoutingJson = next.Routing.ToJson();
        e.UpdatedAt = now;

        // Saved by the submission together with the outbox row, its decision and its dispatch job.
        var result = await submission.SubmitAsync(new SendCommand(e.WorkspaceId, e.ContactId, channel, MessagePurpose.Marketing, d.Key!,
            Body: step.TemplateKey is null ? step.Template : null, TemplateKey: step.TemplateKey, CampaignId: e.CampaignId,
            EnrollmentId: e.Id, StepIndex: d.Step, ForcedProvider: step.Provider), recordRenderFailure: true, ct);
        if (result.Message is not { } message)
        {
            LogNoMessage(log, e.Id, result.Status);
            e.StoppedReason = "contact_not_found";
            return null;
        }
        var (status, code, permanent, retryAt) = Classify(message, now);
        if (status == AttemptStatus.Pending) return null;
        var routing = TouchPlanner.RecordOutcome(next.Routing, d.Key!, channel, status, now, code, permanent, retryAt);
        if (status == AttemptStatus.Sent)
            signals.Apply(e, EnrollmentCause.TouchSent, Actor, new { messageId = message.Id, key = d.Key });
        e.RoutingJson = routing.ToJson();
        return routing;
    }

    async Task ApplyAsync(Enrollment e, TouchPlan next, CancellationToken ct)
    {
        var d = next.Decision;
        var now = Now();
        e.StepIndex = d.Step;
        e.RoutingJson = next.Routing.ToJson();
        e.UpdatedAt = now;
        switch (d.Action)
        {
            case TouchAction.Wait:
                e.NextActionAt = d.Until;
                return;
            case TouchAction.End when d.Cause is { } cause:
                e.NextActionAt = null;
                var transition = signals.Apply(e, cause, Actor, new { step = d.Step, reason = d.Reason }, stoppedReason: d.Reason);
                if (!transition.Changed) e.StoppedReason = d.Reason;
                if (transition.Changed && transition.To == EnrollmentState.Unreachable) await ScheduleReactivationAsync(e, now, ct);
                return;
            case TouchAction.End:
                e.NextActionAt = null;
                e.StoppedReason = d.Reason;
                signals.Note(e, "sequence_ended", Actor, new { step = d.Step, reason = d.Reason });
                return;
            default:
                e.NextActionAt = null; // awaiting an outcome, or nothing left to do
                return;
        }
    }

    /// <summary>Nobody answered on any channel: the contact may be tried again by the reactivation campaign later.</summary>
    async Task ScheduleReactivationAsync(Enrollment e, DateTimeOffset now, CancellationToken ct)
    {
        var contact = await db.Contacts.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.WorkspaceId == e.WorkspaceId && c.Id == e.ContactId, ct);
        if (contact is null) return;
        var after = now + options.Value.ReactivationAfter;
        if (contact.ReactivationAfter is { } existing && existing >= after) return;
        contact.ReactivationAfter = after;
        contact.UpdatedAt = now;
    }

    void RecordNotes(Enrollment e, IReadOnlyList<StepNote> notes)
    {
        foreach (var note in notes)
            signals.Note(e, "step_" + note.Kind, Actor, new { step = note.Step, detail = note.Detail });
    }

    TouchContext Context(Enrollment e, CampaignPlan plan, TouchRouting routing, IReadOnlySet<Channel> reachable) =>
        new(e.Id, plan, e.State, routing, e.CreatedAt, reachable, Now());

    /// <summary>Channel kinds the contact has an address for; phone channels without their own row use the SMS number.</summary>
    public async Task<IReadOnlySet<Channel>> ReachableAsync(Guid workspaceId, Guid contactId, CancellationToken ct)
    {
        var kinds = (await db.ContactChannels.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.ContactId == contactId).Select(c => c.Kind).ToListAsync(ct)).ToHashSet();
        return Reachable(kinds);
    }

    public static HashSet<Channel> Reachable(IEnumerable<Channel> kinds)
    {
        var set = kinds.ToHashSet();
        if (set.Contains(Channel.Sms))
            foreach (var phone in Enum.GetValues<Channel>().Where(ChannelAddress.IsPhoneChannel)) set.Add(phone);
        return set;
    }

    /// <summary>What an outbox row's status means for its attempt.</summary>
    internal static (AttemptStatus Status, string? Code, bool Permanent, DateTimeOffset? RetryAt) Classify(OutboundMessage m, DateTimeOffset now) =>
        m.Status switch
        {
            MessageStatus.Queued or MessageStatus.Scheduled or MessageStatus.Sending => (AttemptStatus.Pending, null, false, null),
            // Uncertain may have reached the person: it is never re-sent, so the step counts as made.
            MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Read or MessageStatus.Uncertain or MessageStatus.DryRun
                => (AttemptStatus.Sent, null, false, null),
            MessageStatus.Failed or MessageStatus.Undelivered when m.ErrorCode == MessageErrors.ProviderNotConfigured
                => (AttemptStatus.Denied, m.ErrorCode, false, null),
            MessageStatus.Failed or MessageStatus.Undelivered
                => (AttemptStatus.Failed, m.ErrorCode, m.ErrorCode is { } code && ProviderErrorClass.Classify(code).IsPermanent, null),
            _ when TouchPlanner.RetryAfterDenial(m.ErrorCode ?? "", now) is { } retry => (AttemptStatus.Voided, m.ErrorCode, false, retry),
            _ => (AttemptStatus.Denied, m.ErrorCode ?? PolicyReasonCodes.Allowed, false, null),
        };

    DateTimeOffset Now() => clock.GetUtcNow().ToUniversalTime();

    [LoggerMessage(LogLevel.Warning, "Enrollment {EnrollmentId}: the touch could not be submitted ({Status}).")]
    static partial void LogNoMessage(ILogger logger, Guid enrollmentId, SubmitStatus status);
}
