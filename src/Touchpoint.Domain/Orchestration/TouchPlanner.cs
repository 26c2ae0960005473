using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Orchestration;

/// <summary>
/// The touch orchestrator's brain, pure (seed 004 "decision engine per lead + step"). A step is one touch
/// that reaches the person: its channel comes from <see cref="FallbackEngine.Start"/>, failures and channel
/// denials go through <see cref="FallbackEngine.Decide"/> (retry after cooldown, switch channel, or exhausted),
/// a sent touch completes the step and the next one is due its delay after that send. Expired steps and
/// exhausted steps are skipped and noted; when no later step can reach the contact, or after the last step's
/// reply window, the sequence ends with <see cref="EnrollmentCause.AllChannelsExhausted"/> (UNREACHABLE).
/// A reply ends it (state stays ENGAGED) when the step's stopOnEvents contain <c>replied</c> — the default.
/// </summary>
public static class TouchPlanner
{
    /// <summary>stopOnEvents of a step that does not list any: a reply ends the sequence.</summary>
    public static readonly IReadOnlyList<string> DefaultStopOnEvents = [StopEvents.Replied];

    public static TouchPlan Next(TouchContext c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var steps = c.Plan.Steps;
        var r = c.Routing;
        var notes = new List<StepNote>();
        TouchPlan Done(TouchDecision d, TouchRouting routing) => new(d, routing, notes);

        if (EnrollmentStates.IsTerminal(c.State)) return Done(new(TouchAction.Idle, "terminal_state", r.Step), r);
        if (r.Ended is { } ended) return Done(new(TouchAction.Idle, ended, r.Step), r);
        if (r.Step < 0 || r.Step >= steps.Count) return Done(new(TouchAction.Idle, "no_such_step", r.Step), r);

        // Each pass either returns or moves to a later step, so steps.Count + 1 passes always suffice.
        for (var pass = 0; pass <= steps.Count; pass++)
        {
            var step = steps[r.Step];
            var stops = step.StopOnEvents ?? DefaultStopOnEvents;
            if (r.RepliedAt is not null && stops.Contains(StopEvents.Replied))
                return Done(new(TouchAction.End, StopEvents.Replied, r.Step), r with { Ended = StopEvents.Replied });
            if (c.State == EnrollmentState.Qualified && stops.Contains(StopEvents.Qualified))
                return Done(new(TouchAction.End, StopEvents.Qualified, r.Step), r with { Ended = StopEvents.Qualified });
            if (r.Pending is { } pending)
                return Done(new(TouchAction.AwaitOutcome, "awaiting_outcome", r.Step, pending.Channel, pending.Number, pending.Key), r);

            var due = r.StepDueAt ?? FirstDueAt(c, r);
            r = r with { StepDueAt = due };
            if (c.Now < due) return Done(new(TouchAction.Wait, "step_due", r.Step, Until: due), r);

            if (r.StepSentAt is { } sentAt)
            {
                if (r.Step + 1 < steps.Count)
                {
                    // The step stays current until the next one is due, so a late failure report can still re-open it.
                    var nextDue = sentAt + CadencePresets.DelayBeforeStep(c.Plan, r.Step + 1);
                    if (c.Now < nextDue) return Done(new(TouchAction.Wait, "step_due", r.Step, Until: nextDue), r);
                    r = NextStep(c.Plan, r, sentAt);
                    continue;
                }
                var windowEnd = sentAt + ReplyWindow(c.Plan, step);
                return c.Now < windowEnd
                    ? Done(new(TouchAction.Wait, "reply_window", r.Step, Until: windowEnd), r)
                    : Done(new(TouchAction.End, "sequence_completed", r.Step, Cause: EnrollmentCause.AllChannelsExhausted), r);
            }

            if (StepExpiry.ShouldSkip(due, step.ExpiresAfterMinutes, c.Now))
            {
                notes.Add(new(r.Step, "expired", $"step {r.Step} was due {due:O} and expired after {step.ExpiresAfterMinutes} minutes", c.Now));
                if (MoveOn(c, r, notes) is not { } later) return Done(EndOfSequence(r), r);
                r = later;
                continue;
            }

            if (r.Attempts.Count > 0 && r.Attempts[^1] is { Status: AttemptStatus.Voided, RetryAt: { } retryAt } && c.Now < retryAt)
                return Done(new(TouchAction.Wait, "retry_after_" + r.Attempts[^1].Code, r.Step, Until: retryAt), r);

            var routing = StepRouting(step);
            var allowed = AllowedInStep(c, r);
            var latest = r.Attempts.LastOrDefault(a => a.Status is AttemptStatus.Failed or AttemptStatus.Denied);
            var decision = latest is null
                ? FallbackEngine.Start(routing, allowed)
                : FallbackEngine.Decide(new FallbackSituation(routing,
                    [.. r.Attempts.Where(a => a.Status is AttemptStatus.Sent or AttemptStatus.Failed).Select(a => new ChannelAttempt(a.Channel, a.At))],
                    allowed, latest.Channel, DeliveryOutcome.Failed(latest.Code, latest.Status == AttemptStatus.Failed ? latest.Permanent : false), c.Now));
            if (decision.DeadChannel is { } dead && !r.DeadChannels.Contains(dead)) r = r with { DeadChannels = [.. r.DeadChannels, dead] };

            switch (decision.Action)
            {
                case FallbackAction.SwitchChannel or FallbackAction.RetrySameChannel:
                    var channel = decision.Channel!.Value;
                    var number = r.IssuedCount(r.Step, channel) + 1;
                    var key = TouchKeys.For(c.EnrollmentId, r.Step, channel, number);
                    var issued = new Dictionary<string, int>(r.Issued) { [TouchRouting.IssuedKey(r.Step, channel)] = number };
                    r = r with { Issued = issued, Attempts = [.. r.Attempts, new TouchAttempt(r.Step, channel, number, key, c.Now)] };
                    return Done(new(TouchAction.Send, decision.Reason, r.Step, channel, number, key), r);
                case FallbackAction.WaitCooldown:
                    return Done(new(TouchAction.Wait, decision.Reason, r.Step, decision.Channel, Until: decision.Until), r);
                default:
                    notes.Add(new(r.Step, "exhausted", decision.Detail, c.Now));
                    if (MoveOn(c, r, notes) is not { } next) return Done(EndOfSequence(r), r);
                    r = next;
                    continue;
            }
        }
        return Done(EndOfSequence(r), r);
    }

    /// <summary>
    /// Applies the outcome of the attempt with <paramref name="key"/>. Idempotent: a repeated outcome changes
    /// nothing. An outcome of an attempt from an earlier step only matters when it kills a channel.
    /// A failure reported after the touch was sent (delivery webhook) re-opens the step for fallback.
    /// </summary>
    public static TouchRouting RecordOutcome(TouchRouting r, string key, Channel channel, AttemptStatus status, DateTimeOffset at,
        string? code = null, bool permanent = false, DateTimeOffset? retryAt = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        var index = r.Attempts.ToList().FindIndex(a => a.Key == key);
        var killsChannel = status == AttemptStatus.Failed && permanent && !r.DeadChannels.Contains(channel);
        if (index < 0) return killsChannel ? r with { DeadChannels = [.. r.DeadChannels, channel] } : r;

        var a = r.Attempts[index];
        TouchAttempt updated;
        var result = r;
        switch (status)
        {
            case AttemptStatus.Sent when a.Status == AttemptStatus.Pending:
                updated = a with { Status = AttemptStatus.Sent };
                result = r with { StepSentAt = at, LastSentAt = at, TouchesSent = r.TouchesSent + 1 };
                break;
            case AttemptStatus.Failed when a.Status is AttemptStatus.Pending or AttemptStatus.Sent:
                updated = a with { Status = AttemptStatus.Failed, Code = code, Permanent = permanent };
                if (a.Status == AttemptStatus.Sent) result = r with { StepSentAt = null, TouchesSent = Math.Max(0, r.TouchesSent - 1) };
                break;
            case AttemptStatus.Denied or AttemptStatus.Voided when a.Status == AttemptStatus.Pending:
                updated = a with { Status = status, Code = code, RetryAt = status == AttemptStatus.Voided ? retryAt ?? at : null };
                break;
            default:
                return r; // already decided, or an out-of-order report (a late "sent" never undoes a failure)
        }
        var attempts = r.Attempts.ToArray();
        attempts[index] = updated;
        result = result with { Attempts = attempts };
        return killsChannel ? result with { DeadChannels = [.. result.DeadChannels, channel] } : result;
    }

    /// <summary>
    /// Denials that are not about the channel — the campaign is not active, budget RED, fatigue — void the
    /// attempt instead of moving to another channel; the same step is tried again at the returned instant.
    /// Null for channel denials (consent, dnc, no address, attestation, suppression…).
    /// </summary>
    public static DateTimeOffset? RetryAfterDenial(string reasonCode, DateTimeOffset at) => reasonCode switch
    {
        Policy.PolicyReasonCodes.CampaignNotActive => at, // the tick only looks at active campaigns: resume picks it up
        Policy.PolicyReasonCodes.BudgetRed => at + TimeSpan.FromHours(6),
        Policy.PolicyReasonCodes.Fatigue => at + TimeSpan.FromDays(1),
        _ => null,
    };

    /// <summary>The step's routing with its own channel first unless its fallback order places it explicitly.</summary>
    public static FallbackRouting StepRouting(CampaignStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var f = step.EffectiveFallback;
        return f.Order.Contains(step.Channel) ? f : f with { Order = [step.Channel, .. f.Order] };
    }

    /// <summary>How long after the last step's touch a reply is waited for: its fallback cooldown, else the preset interval.</summary>
    public static TimeSpan ReplyWindow(CampaignPlan plan, CampaignStep step)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(step);
        var cooldown = step.EffectiveFallback.Cooldown;
        return cooldown > TimeSpan.Zero ? cooldown : CadencePresets.For(plan.Policy.Preset).Interval;
    }

    /// <summary>Channels a contact can be reached on under the plan: address known, allowed by the plan, not dead.</summary>
    public static IReadOnlySet<Channel> Usable(CampaignPlan plan, IReadOnlySet<Channel> reachable, IEnumerable<Channel> dead)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var set = new HashSet<Channel>(reachable);
        if (plan.Policy.AllowedChannels is { Count: > 0 } policy) set.IntersectWith(policy);
        set.ExceptWith(dead);
        return set;
    }

    static HashSet<Channel> AllowedInStep(TouchContext c, TouchRouting r)
    {
        var set = new HashSet<Channel>(Usable(c.Plan, c.Reachable, r.DeadChannels));
        set.ExceptWith(r.Attempts.Where(a => a.Status == AttemptStatus.Denied).Select(a => a.Channel));
        return set;
    }

    static DateTimeOffset FirstDueAt(TouchContext c, TouchRouting r) => r.Step == 0
        ? c.EnrolledAt + CadencePresets.DelayBeforeStep(c.Plan, 0)
        : (r.LastSentAt ?? c.EnrolledAt) + CadencePresets.DelayBeforeStep(c.Plan, r.Step);

    static TouchRouting NextStep(CampaignPlan plan, TouchRouting r, DateTimeOffset anchor) => r with
    {
        Step = r.Step + 1,
        StepDueAt = anchor + CadencePresets.DelayBeforeStep(plan, r.Step + 1),
        StepSentAt = null,
        Attempts = [],
    };

    /// <summary>The next step that can still reach the contact (its delay counted from now), or null.</summary>
    static TouchRouting? MoveOn(TouchContext c, TouchRouting r, List<StepNote> notes)
    {
        var usable = Usable(c.Plan, c.Reachable, r.DeadChannels);
        for (var i = r.Step + 1; i < c.Plan.Steps.Count; i++)
        {
            if (FallbackEngine.Start(StepRouting(c.Plan.Steps[i]), usable).Action == FallbackAction.Stop)
            {
                notes.Add(new(i, "exhausted", "no channel of the step can reach the contact", c.Now));
                continue;
            }
            return NextStep(c.Plan, r with { Step = i - 1 }, c.Now);
        }
        return null;
    }

    static TouchDecision EndOfSequence(TouchRouting r) => new(TouchAction.End,
        r.TouchesSent > 0 ? "sequence_completed" : FallbackDecision.AllChannelsExhausted, r.Step, Cause: EnrollmentCause.AllChannelsExhausted);
}

/// <summary>
/// The values a step's stopOnEvents may list (anything else is a 400 on the plan). <c>replied</c> keeps the state
/// (ENGAGED) and ends the sequence; <c>qualified</c> ends it once the enrollment is QUALIFIED; the message events
/// (<c>delivered</c>, <c>read</c>, <c>opened</c>, <c>clicked</c>, <c>failed</c>, <c>bounced</c>) end it with cause
/// <c>stop_on_event</c> (STOPPED) when they happen to a touch of the enrollment; <c>opted_out</c>, <c>complained</c>,
/// <c>booked</c> and <c>not_interested</c> are accepted for completeness and end it anyway (terminal states).
/// </summary>
public static class StopEvents
{
    public const string Replied = "replied";
    public const string Qualified = "qualified";
    public const string Booked = "booked";
    public const string NotInterested = "not_interested";
    public const string OptedOut = "opted_out";
    public const string Complained = "complained";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Opened = "opened";
    public const string Clicked = "clicked";
    public const string Failed = "failed";
    public const string Bounced = "bounced";

    public static readonly IReadOnlyList<string> All =
        [Replied, Qualified, Booked, NotInterested, OptedOut, Complained, Delivered, Read, Opened, Clicked, Failed, Bounced];

    /// <summary>Events a touch message can have (reported by providers); the rest are contact or state events.</summary>
    public static readonly IReadOnlySet<string> MessageEvents = new HashSet<string>(StringComparer.Ordinal)
        { Delivered, Read, Opened, Clicked, Failed, Bounced };

    /// <summary>
    /// Whether <paramref name="messageEvent"/> on a touch ends the sequence now: it is listed by the current step,
    /// and the sequence has not ended already. Pure; the caller applies cause <c>stop_on_event</c>.
    /// </summary>
    public static bool Stops(CampaignPlan plan, TouchRouting routing, string messageEvent)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(routing);
        if (routing.Ended is not null || routing.Step < 0 || routing.Step >= plan.Steps.Count) return false;
        return (plan.Steps[routing.Step].StopOnEvents ?? TouchPlanner.DefaultStopOnEvents).Contains(messageEvent);
    }
}
