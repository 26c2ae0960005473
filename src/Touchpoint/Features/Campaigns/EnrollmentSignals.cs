using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Orchestration;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Campaigns;

/// <summary>
/// The one place enrollments change state: every change goes through <see cref="EnrollmentStateMachine"/>, is
/// stored as a <see cref="CampaignTransition"/> with its cause, and lands on the contact's timeline with the
/// table's score delta. Inbound effects (replies, STOP, review) and the touch orchestrator call it. Methods add
/// rows to the caller's unit of work and do not save; queries name the workspace because webhooks and jobs may
/// run without a request scope.
/// </summary>
public sealed class EnrollmentSignals(TouchpointDb db, TimeProvider clock)
{
    /// <summary>Applies <paramref name="cause"/>; a refused transition changes nothing and is returned as refused.</summary>
    public EnrollmentTransition Apply(Enrollment enrollment, EnrollmentCause cause, string actor, object? detail = null,
        EnrollmentState? target = null, string? stoppedReason = null)
    {
        var transition = EnrollmentStateMachine.Apply(enrollment.State, cause, target);
        if (!transition.Changed) return transition;
        var now = Now();
        enrollment.State = transition.To;
        enrollment.UpdatedAt = now;
        if (transition.IsTerminal)
        {
            enrollment.NextActionAt = null;
            enrollment.StoppedReason = stoppedReason ?? WireName.Of(cause);
        }
        var detailJson = JsonSerializer.Serialize(detail ?? new { }, JsonSerializerOptions.Web);
        db.CampaignTransitions.Add(new CampaignTransition
        {
            WorkspaceId = enrollment.WorkspaceId, EnrollmentId = enrollment.Id, CampaignId = enrollment.CampaignId,
            ContactId = enrollment.ContactId, FromState = transition.From, ToState = transition.To, Cause = WireName.Of(cause),
            Actor = actor, DetailJson = detailJson, CreatedAt = now,
        });
        var memory = TimelineEvents.New(enrollment.WorkspaceId, enrollment.ContactId, "ENROLLMENT_" + WireName.Of(transition.To), actor, null,
            new { enrollmentId = enrollment.Id, campaignId = enrollment.CampaignId, from = WireName.Of(transition.From), cause = WireName.Of(cause), detail },
            now);
        memory.ScoreDelta = transition.ScoreDelta;
        db.MemoryEvents.Add(memory);
        return transition;
    }

    /// <summary>
    /// A reply on <paramref name="channel"/>: every live enrollment of the contact becomes ENGAGED, and its sequence
    /// ends when the current step's stopOnEvents contain <c>replied</c> (the default when a step lists none):
    /// no further touches, and touches still waiting in the outbox are withdrawn. Safe to call twice for one reply.
    /// </summary>
    public async Task<IReadOnlyList<Enrollment>> ContactRepliedAsync(Guid workspaceId, Guid contactId, Channel channel,
        Guid? inboundMessageId, CancellationToken ct)
    {
        var live = await LiveEnrollmentsAsync(workspaceId, contactId, ct);
        foreach (var enrollment in live)
        {
            Apply(enrollment, EnrollmentCause.ReplyReceived, "inbound", new { channel = WireName.Of(channel), inboundMessageId });
            var routing = TouchRouting.Parse(enrollment.RoutingJson);
            if (routing.RepliedAt is not null) continue;
            routing = routing with { RepliedAt = Now() };
            if (await StopsOnReplyAsync(enrollment, routing.Step, ct))
            {
                routing = routing with { Ended = StopEvents.Replied };
                enrollment.NextActionAt = null;
                enrollment.StoppedReason = StopEvents.Replied;
                Note(enrollment, "sequence_ended", "inbound", new { step = routing.Step, reason = StopEvents.Replied, inboundMessageId });
                await WithdrawPendingTouchesAsync(enrollment, StopEvents.Replied, ct);
            }
            enrollment.RoutingJson = routing.ToJson();
        }
        return live;
    }

    /// <summary>
    /// Records something that happened to the enrollment without a state change (a skipped step, the sequence
    /// ending on a stop event) as a transition row from and to the same state, and on the contact's timeline.
    /// </summary>
    public void Note(Enrollment enrollment, string cause, string actor, object? detail = null)
    {
        var now = Now();
        db.CampaignTransitions.Add(new CampaignTransition
        {
            WorkspaceId = enrollment.WorkspaceId, EnrollmentId = enrollment.Id, CampaignId = enrollment.CampaignId,
            ContactId = enrollment.ContactId, FromState = enrollment.State, ToState = enrollment.State, Cause = cause, Actor = actor,
            DetailJson = JsonSerializer.Serialize(detail ?? new { }, JsonSerializerOptions.Web), CreatedAt = now,
        });
        db.MemoryEvents.Add(TimelineEvents.New(enrollment.WorkspaceId, enrollment.ContactId, "CAMPAIGN_" + cause.ToUpperInvariant(), actor, null,
            new { enrollmentId = enrollment.Id, campaignId = enrollment.CampaignId, detail }, now));
    }

    /// <summary>
    /// Touches of the enrollment still waiting in the outbox (queued, or scheduled for their allowed time) are
    /// marked denied with <paramref name="reason"/>, so the dispatcher leaves them alone.
    /// </summary>
    public async Task<int> WithdrawPendingTouchesAsync(Enrollment enrollment, string reason, CancellationToken ct)
    {
        var now = Now();
        var waiting = await db.OutboundMessages.IgnoreQueryFilters()
            .Where(m => m.WorkspaceId == enrollment.WorkspaceId && m.EnrollmentId == enrollment.Id
                        && (m.Status == MessageStatus.Queued || m.Status == MessageStatus.Scheduled))
            .ToListAsync(ct);
        foreach (var message in waiting)
        {
            message.Status = MessageStatus.Denied;
            message.ErrorCode = "enrollment_" + reason;
            message.ErrorMessage = $"withdrawn: the enrollment's sequence ended ({reason})";
            message.UpdatedAt = now;
            db.MessageEvents.Add(new MessageEvent
            {
                WorkspaceId = message.WorkspaceId, MessageId = message.Id, ContactId = message.ContactId, CampaignId = message.CampaignId,
                EventType = "withdrawn", Status = MessageStatus.Denied, ErrorCode = message.ErrorCode, OccurredAt = now, CreatedAt = now,
            });
        }
        return waiting.Count;
    }

    async Task<bool> StopsOnReplyAsync(Enrollment enrollment, int step, CancellationToken ct) =>
        (await PlanStopsAsync(enrollment, step, ct)).Contains(StopEvents.Replied);

    // The plan JSON (not the step rows) keeps "no stopOnEvents given" apart from an explicit empty list.
    async Task<IReadOnlyList<string>> PlanStopsAsync(Enrollment enrollment, int step, CancellationToken ct)
    {
        var json = await db.PlanVersions.IgnoreQueryFilters().AsNoTracking()
            .Where(v => v.WorkspaceId == enrollment.WorkspaceId && v.Id == enrollment.PlanVersionId).Select(v => v.PlanJson).FirstAsync(ct);
        var plan = JsonSerializer.Deserialize<Domain.Campaigns.CampaignPlan>(json, Domain.Campaigns.PlanHash.JsonOptions)!;
        return step < plan.Steps.Count ? plan.Steps[step].StopOnEvents ?? TouchPlanner.DefaultStopOnEvents : TouchPlanner.DefaultStopOnEvents;
    }

    /// <summary>
    /// A binding opt-out (STOP keyword, one-click unsubscribe, provider 21610) or a complaint on
    /// <paramref name="channel"/>: the contact's live enrollments whose plan uses that channel stop for good.
    /// A null channel stops every live enrollment of the contact.
    /// </summary>
    public async Task<IReadOnlyList<Enrollment>> ContactOptedOutAsync(Guid workspaceId, Guid contactId, Channel? channel,
        EnrollmentCause cause, string actor, object? detail, CancellationToken ct)
    {
        var live = await LiveEnrollmentsAsync(workspaceId, contactId, ct);
        var affected = channel is { } c ? await UsingChannelAsync(live, c, ct) : live;
        foreach (var enrollment in affected)
            Apply(enrollment, cause, actor, detail, stoppedReason: cause == EnrollmentCause.Complaint ? "complaint" : "opted_out");
        return affected;
    }

    /// <summary>Opt-out-like free text: the contact's live enrollments pause until a human looks; returns their ids.</summary>
    public async Task<IReadOnlyList<Guid>> PauseForReviewAsync(Guid workspaceId, Guid contactId, CancellationToken ct)
    {
        var live = await LiveEnrollmentsAsync(workspaceId, contactId, ct);
        var now = Now();
        var paused = new List<Guid>();
        foreach (var enrollment in live.Where(e => !e.Paused))
        {
            enrollment.Paused = true;
            enrollment.UpdatedAt = now;
            paused.Add(enrollment.Id);
        }
        return paused;
    }

    /// <summary>A reviewer decided the text was not an opt-out: the paused enrollments continue where they were.</summary>
    public async Task ResumeAfterReviewAsync(Guid workspaceId, IReadOnlyCollection<Guid> enrollmentIds, CancellationToken ct)
    {
        var now = Now();
        var rows = await db.Enrollments.IgnoreQueryFilters()
            .Where(e => e.WorkspaceId == workspaceId && enrollmentIds.Contains(e.Id) && e.Paused).ToListAsync(ct);
        foreach (var enrollment in rows)
        {
            enrollment.Paused = false;
            enrollment.UpdatedAt = now;
        }
    }

    async Task<List<Enrollment>> LiveEnrollmentsAsync(Guid workspaceId, Guid contactId, CancellationToken ct) =>
        withoutLiveEnrollments.Contains((workspaceId, contactId)) ? [] : await db.Enrollments.IgnoreQueryFilters()
            .Where(e => e.WorkspaceId == workspaceId && e.ContactId == contactId && !Terminal.Contains(e.State))
            .ToListAsync(ct);

    // Contacts PrefetchLiveAsync found without a live enrollment. Stays true for this unit of work: nothing here enrolls
    // anyone, and a terminal state is never left.
    readonly HashSet<(Guid Workspace, Guid Contact)> withoutLiveEnrollments = [];

    /// <summary>
    /// Finds, with one query, which of <paramref name="contacts"/> have no live enrollment, so signals for them later in
    /// this unit of work (an ingest batch of replies) skip the per-contact lookup.
    /// </summary>
    public async Task PrefetchLiveAsync(IReadOnlyCollection<(Guid WorkspaceId, Guid ContactId)> contacts, CancellationToken ct)
    {
        if (contacts.Count == 0) return;
        var workspaces = contacts.Select(c => c.WorkspaceId).Distinct().ToList();
        var ids = contacts.Select(c => c.ContactId).Distinct().ToList();
        var live = (await db.Enrollments.IgnoreQueryFilters().AsNoTracking()
            .Where(e => workspaces.Contains(e.WorkspaceId) && ids.Contains(e.ContactId) && !Terminal.Contains(e.State))
            .Select(e => new { e.WorkspaceId, e.ContactId }).Distinct().ToListAsync(ct))
            .Select(e => (e.WorkspaceId, e.ContactId)).ToHashSet();
        foreach (var c in contacts)
            if (!live.Contains(c)) withoutLiveEnrollments.Add(c);
    }

    static readonly EnrollmentState[] Terminal = [.. Enum.GetValues<EnrollmentState>().Where(EnrollmentStates.IsTerminal)];

    async Task<List<Enrollment>> UsingChannelAsync(List<Enrollment> enrollments, Channel channel, CancellationToken ct)
    {
        if (enrollments.Count == 0) return enrollments;
        var versions = enrollments.Select(e => e.PlanVersionId).Distinct().ToList();
        var steps = await db.CampaignSteps.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.WorkspaceId == enrollments[0].WorkspaceId && versions.Contains(s.PlanVersionId))
            .Select(s => new { s.PlanVersionId, s.Channel, s.FallbackJson }).ToListAsync(ct);
        var channelsByVersion = steps.GroupBy(s => s.PlanVersionId).ToDictionary(g => g.Key,
            g => g.SelectMany(s => StepChannels(s.Channel, s.FallbackJson)).ToHashSet());
        return [.. enrollments.Where(e => channelsByVersion.TryGetValue(e.PlanVersionId, out var used) && used.Contains(channel))];
    }

    static IEnumerable<Channel> StepChannels(Channel channel, string fallbackJson)
    {
        yield return channel;
        var routing = JsonSerializer.Deserialize<FallbackRouting>(fallbackJson, Domain.Campaigns.PlanHash.JsonOptions);
        foreach (var c in routing?.Order ?? []) yield return c;
    }

    DateTimeOffset Now() => clock.GetUtcNow().ToUniversalTime();
}
