using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Orchestration;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Campaigns;

public sealed record SetEnrollmentStateRequest(string? State, string? Reason);

public sealed record EnrollmentStateView(Guid Id, EnrollmentState State, EnrollmentState PreviousState, EnrollmentCause Cause,
    string? StoppedReason, DateTimeOffset? NextActionAt);

/// <summary>The outcome of an operator's state change: not found, refused (with the table's reason) or applied.</summary>
public sealed record StateChangeResult(bool Found, EnrollmentTransition? Transition, EnrollmentStateView? View);

/// <summary>
/// Operators setting an enrollment's state (e.g. BOOKED) strictly through the transition table. Moving a
/// STOPPED, UNREACHABLE or NOT_INTERESTED enrollment to ATTEMPTING is the <c>resumed</c> cause: the sequence
/// continues at the step where it stopped. A terminal target withdraws touches still waiting in the outbox.
/// </summary>
public sealed class EnrollmentStateChanges(TouchpointDb db, EnrollmentSignals signals, TimeProvider clock)
{
    public async Task<StateChangeResult> SetAsync(Guid campaignId, Guid enrollmentId, EnrollmentState target, string? reason,
        string actor, CancellationToken ct)
    {
        var enrollment = await db.Enrollments.FirstOrDefaultAsync(e => e.CampaignId == campaignId && e.Id == enrollmentId, ct);
        if (enrollment is null) return new(false, null, null);
        var from = enrollment.State;
        var reopen = target == EnrollmentState.Attempting
                     && from is EnrollmentState.Stopped or EnrollmentState.Unreachable or EnrollmentState.NotInterested;
        var detail = new { reason, target = WireName.Of(target) };
        var transition = reopen
            ? signals.Apply(enrollment, EnrollmentCause.Resumed, actor, detail)
            : signals.Apply(enrollment, EnrollmentCause.OperatorSet, actor, detail, target,
                stoppedReason: reason is { Length: > 0 } r ? r : "operator_set");
        if (!transition.Allowed) return new(true, transition, null);

        if (reopen)
        {
            var routing = TouchRouting.Parse(enrollment.RoutingJson);
            enrollment.RoutingJson = (routing with { Ended = null, RepliedAt = null, StepDueAt = routing.StepDueAt }).ToJson();
            enrollment.StoppedReason = null;
            enrollment.NextActionAt = clock.GetUtcNow().ToUniversalTime();
        }
        if (transition.IsTerminal) await signals.WithdrawPendingTouchesAsync(enrollment, "stopped", ct);
        await db.SaveChangesAsync(ct);
        return new(true, transition, new EnrollmentStateView(enrollment.Id, enrollment.State, from, transition.Cause,
            enrollment.StoppedReason, enrollment.NextActionAt));
    }
}
