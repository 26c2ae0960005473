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
using Touchpoint.Features.Policy;
using Touchpoint.Features.Webhooks;
using Touchpoint.Providers;

namespace Touchpoint.Features.Campaigns;

/// <summary>
/// Turns due enrollments into touches (ARCHITECTURE §4, seed 004 touch orchestrator). Works on batches of claimed
/// enrollments of one workspace: loads every input of the batch set-based (<see cref="TouchBatchInputs"/>), asks
/// <see cref="TouchPlanner"/> what is next for each, composes the touches through <see cref="MessageSubmission"/>
/// (policy decision, render, outbox row, dispatch job) with the key <c>touch:{enrollment}:{step}:{channel}:{attempt}</c>,
/// and commits the whole batch — routing, transitions, decisions, outbox rows, jobs — in one transaction. As the
/// dispatcher's <see cref="IMessageOutcomeListener"/> it feeds sent/failed/denied outcomes (and failed delivery
/// reports) back into the planner.
/// </summary>
public sealed partial class TouchOrchestrator(TouchpointDb db, MessageSubmission submission, PolicyGate gate, ProviderAccounts accounts,
    EnrollmentSignals signals, PlanCache plans, IOptions<CampaignEngineOptions> options, TimeProvider clock, ILogger<TouchOrchestrator> log)
    : IMessageOutcomeListener, IMessageEventListener
{
    public const string Actor = "orchestrator";
    const int MaxDecisionsPerRun = 8;

    /// <summary>
    /// Claims and works one enrollment (per-enrollment jobs: a fallback or resume that is due now). It is claimed
    /// by a compare-and-set on next_action_at — <paramref name="expected"/> if given, else "due at all" — so of two
    /// workers only one moves it. False when another worker had it, it was not due, or its campaign is not active.
    /// </summary>
    public async Task<bool> ProcessAsync(Guid workspaceId, Guid enrollmentId, DateTimeOffset? expected, CancellationToken ct)
    {
        var now = Now();
        var rows = db.Enrollments.IgnoreQueryFilters().Where(e => e.WorkspaceId == workspaceId && e.Id == enrollmentId && !e.Paused);
        rows = expected is { } seen ? rows.Where(e => e.NextActionAt == seen) : rows.Where(e => e.NextActionAt != null && e.NextActionAt <= now);
        DateTimeOffset? lease = now + options.Value.ClaimLease;
        if (await rows.ExecuteUpdateAsync(s => s.SetProperty(e => e.NextActionAt, lease), ct) == 0) return false;
        return await RunClaimedAsync(workspaceId, [enrollmentId], ct) == 1;
    }

    /// <summary>
    /// Decides and commits the next touches of enrollments this worker has claimed (their next_action_at holds its
    /// lease), all of <paramref name="workspaceId"/>, in one transaction. Enrollments whose campaign is no longer
    /// active get their slot back untouched (resume continues there). Returns how many were worked.
    /// </summary>
    public async Task<int> RunClaimedAsync(Guid workspaceId, IReadOnlyCollection<Guid> enrollmentIds, CancellationToken ct)
    {
        var now = Now();
        var ids = enrollmentIds.Distinct().ToList();
        var enrollments = await db.Enrollments.IgnoreQueryFilters().Where(e => e.WorkspaceId == workspaceId && ids.Contains(e.Id)).ToListAsync(ct);
        var campaignIds = enrollments.Select(e => e.CampaignId).Distinct().ToList();
        var active = (await db.Campaigns.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && campaignIds.Contains(c.Id) && c.Status == CampaignStatus.Active)
            .Select(c => c.Id).ToListAsync(ct)).ToHashSet();
        // Paused (or completed) between the claim and now: give the slot back; resume continues here.
        foreach (var e in enrollments.Where(e => !active.Contains(e.CampaignId))) e.NextActionAt = now;
        var live = enrollments.Where(e => active.Contains(e.CampaignId)).ToList();
        if (live.Count == 0)
        {
            await db.SaveChangesAsync(ct);
            return 0;
        }

        var inputs = await TouchBatchInputs.LoadAsync(db, plans, workspaceId, live, now, ct);
        var work = live.Select(e => new Work(e, inputs.EffectivePlan(e.PlanVersionId), TouchRouting.Parse(e.RoutingJson),
            Reachable((inputs.Contact(e.ContactId)?.Channels ?? []).Select(c => c.Kind)))).ToList();
        for (var round = 0; round < MaxDecisionsPerRun && work.Count > 0; round++)
        {
            var sends = new List<(Work Work, TouchPlan Next)>();
            foreach (var w in work)
            {
                var next = TouchPlanner.Next(Context(w.Enrollment, w.Plan, w.Routing, w.Reachable));
                RecordNotes(w.Enrollment, next.Notes);
                if (next.Decision.Action == TouchAction.Send) sends.Add((w, next));
                else await ApplyAsync(w.Enrollment, next, ct);
            }
            if (sends.Count == 0) break;
            // One read for the whole round: a key decided before (a crashed run's commit) gets its own row back.
            var keys = sends.Select(s => s.Next.Decision.Key!).ToList();
            var existing = await db.OutboundMessages.IgnoreQueryFilters()
                .Where(m => m.WorkspaceId == workspaceId && keys.Contains(m.IdempotencyKey)).ToDictionaryAsync(m => m.IdempotencyKey, ct);
            work = [];
            foreach (var (w, next) in sends)
            {
                var afterSubmit = await SendAsync(w, next, inputs, existing.GetValueOrDefault(next.Decision.Key!), ct);
                if (afterSubmit is null) continue;   // pending: the dispatcher reports back
                work.Add(w with { Routing = afterSubmit }); // the outcome is already known (denied, dry run…): decide again
            }
        }
        foreach (var w in work) w.Enrollment.NextActionAt = now; // unusually many instant outcomes: continue on the next sweep
        await db.SaveChangesAsync(ct);
        return live.Count;
    }

    sealed record Work(Enrollment Enrollment, CampaignPlan Plan, TouchRouting Routing, IReadOnlySet<Channel> Reachable);

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
        if (status == AttemptStatus.Failed && await StopOnEventAsync(enrollment, routing, StopEvents.Failed, message.Id, ct)) return;
        if (status == AttemptStatus.Denied && code is PolicyReasonCodes.Suppressed or PolicyReasonCodes.ConsentOptOut
            && await DenialStopAsync(message, now, ct) is { } stop)
        {
            // Denied at send time because of a suppression or opt-out that came after the touch was queued.
            StopForDenial(enrollment, routing, stop, message.Id);
            return;
        }

        var strategy = StrategyCadence.From(await db.StrategyVersions.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.WorkspaceId == enrollment.WorkspaceId && s.Status == StrategyStatus.Active, ct));
        var plan = StrategyDefaults.Apply(await plans.GetAsync(db, enrollment.WorkspaceId, enrollment.PlanVersionId, ct), strategy);
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

    /// <summary>A provider event on one of our touches (delivered, read, opened, clicked, bounced): does its step stop on it?</summary>
    public async Task OnMessageEventAsync(OutboundMessage message, string eventName, CancellationToken ct)
    {
        if (!StopEvents.MessageEvents.Contains(eventName) || message.EnrollmentId is not { } enrollmentId
            || !message.IdempotencyKey.StartsWith(TouchKeys.Prefix, StringComparison.Ordinal)) return;
        var enrollment = await db.Enrollments.IgnoreQueryFilters()
            .FirstOrDefaultAsync(e => e.WorkspaceId == message.WorkspaceId && e.Id == enrollmentId, ct);
        if (enrollment is null || EnrollmentStates.IsTerminal(enrollment.State)) return;
        await StopOnEventAsync(enrollment, TouchRouting.Parse(enrollment.RoutingJson), eventName, message.Id, ct);
    }

    /// <summary>
    /// Ends the sequence when the current step lists <paramref name="eventName"/> in stopOnEvents: cause
    /// <c>stop_on_event</c> (STOPPED) with the event as stopped reason, and touches still waiting are withdrawn.
    /// </summary>
    async Task<bool> StopOnEventAsync(Enrollment e, TouchRouting routing, string eventName, Guid messageId, CancellationToken ct)
    {
        var plan = await plans.GetAsync(db, e.WorkspaceId, e.PlanVersionId, ct);
        if (!StopEvents.Stops(plan, routing, eventName)) return false;
        e.NextActionAt = null;
        e.RoutingJson = (routing with { Ended = eventName }).ToJson();
        e.UpdatedAt = Now();
        var detail = new { step = routing.Step, @event = eventName, messageId };
        var transition = signals.Apply(e, EnrollmentCause.StopOnEvent, Actor, detail, stoppedReason: eventName);
        if (!transition.Changed)
        {
            e.StoppedReason = eventName;
            signals.Note(e, "sequence_ended", Actor, detail);
        }
        await signals.WithdrawPendingTouchesAsync(e, eventName, ct);
        return true;
    }

    /// <summary>Why a send-time denial ends the enrollment (re-evaluated on the current inputs), or null for a channel denial.</summary>
    async Task<DenialStop.Stop?> DenialStopAsync(OutboundMessage message, DateTimeOffset now, CancellationToken ct)
    {
        var contact = await db.Contacts.IgnoreQueryFilters().AsNoTracking().Include(c => c.Channels)
            .FirstOrDefaultAsync(c => c.WorkspaceId == message.WorkspaceId && c.Id == message.ContactId, ct);
        if (contact is null) return null;
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == message.WorkspaceId, ct);
        var inputs = await PolicyInputSet.LoadAsync(db, workspace, [contact], message.CampaignId is { } id ? [id] : [], now, ct, message.Id);
        if (inputs.Build(contact.Id, message.Channel, MessagePurpose.Marketing, message.CampaignId, now) is not { } request) return null;
        var verdict = PolicyEngine.Evaluate(request);
        return verdict.AllowSend ? null : DenialStop.For(request, verdict);
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

    async Task<TouchRouting?> SendAsync(Work w, TouchPlan next, TouchBatchInputs inputs, OutboundMessage? existing, CancellationToken ct)
    {
        var e = w.Enrollment;
        var d = next.Decision;
        var channel = d.Channel!.Value;
        var step = w.Plan.Steps[d.Step];
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

        var message = existing;
        DenialStop.Stop? stop = null;
        if (message is null)
        {
            if (inputs.Contact(e.ContactId) is not { } contact)
            {
                LogNoMessage(log, e.Id, SubmitStatus.ContactNotFound);
                e.StoppedReason = "contact_not_found";
                return null;
            }
            var command = new SendCommand(e.WorkspaceId, e.ContactId, channel, MessagePurpose.Marketing, d.Key!,
                Body: step.TemplateKey is null ? step.Template : null, TemplateKey: step.TemplateKey, CampaignId: e.CampaignId,
                EnrollmentId: e.Id, StepIndex: d.Step, ForcedProvider: step.Provider);
            var template = step.TemplateKey is { } key ? inputs.Templates.GetValueOrDefault(key) : null;
            var account = await inputs.AccountAsync(accounts, channel, step.Provider, ct);
            // Added to this batch's unit of work with its decision and dispatch job; committed with the routing below.
            var outcome = await submission.ComposeAsync(command, contact, inputs.Workspace, template, account, recordRenderFailure: true, m =>
            {
                if (inputs.Policy.Build(e.ContactId, channel, MessagePurpose.Marketing, e.CampaignId, now) is not { } request)
                    return Task.FromResult<(PolicyVerdict, PolicyDecision)?>(null);
                var verdict = PolicyEngine.Evaluate(request);
                stop = verdict.AllowSend ? null : DenialStop.For(request, verdict);
                return Task.FromResult<(PolicyVerdict, PolicyDecision)?>((verdict, gate.Record(e.WorkspaceId, e.ContactId, channel, e.CampaignId, e.Id, m.Id, verdict, now)));
            });
            message = outcome.Message;
            if (message is null)
            {
                LogNoMessage(log, e.Id, outcome.Status);
                e.StoppedReason = "contact_not_found";
                return null;
            }
            if (message.Status is MessageStatus.Queued) inputs.Policy.AddTouch(e.ContactId, channel, now, e.CampaignId);
        }
        var (status, code, permanent, retryAt) = Classify(message, now);
        if (status == AttemptStatus.Pending) return null;
        var routing = TouchPlanner.RecordOutcome(next.Routing, d.Key!, channel, status, now, code, permanent, retryAt);
        if (status == AttemptStatus.Sent)
            signals.Apply(e, EnrollmentCause.TouchSent, Actor, new { messageId = message.Id, key = d.Key });
        e.RoutingJson = routing.ToJson();
        if (stop is not null)
        {
            // Suppressed or opted out since enrolling: the sequence ends here instead of falling back (docs/campaigns.md).
            StopForDenial(e, routing, stop, message.Id);
            return null;
        }
        return routing;
    }

    void StopForDenial(Enrollment e, TouchRouting routing, DenialStop.Stop stop, Guid messageId)
    {
        e.NextActionAt = null;
        e.RoutingJson = (routing with { Ended = stop.Reason }).ToJson();
        var transition = signals.Apply(e, stop.Cause, Actor, new { step = routing.Step, reason = stop.Reason, messageId }, stoppedReason: stop.Reason);
        if (transition.Changed) return;
        e.StoppedReason = stop.Reason;
        signals.Note(e, "sequence_ended", Actor, new { step = routing.Step, reason = stop.Reason, messageId });
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
