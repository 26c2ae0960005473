using NodaTime;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Orchestration;

/// <summary>
/// One contact as the simulator starts it: its routing and state (an enrollment as it is now, or a fresh one),
/// and a policy request per channel it can be reached on, loaded from the store (consent, suppressions, caps…).
/// </summary>
public sealed record SimulatedContact(Guid EnrollmentId, Guid ContactId, CampaignPlan Plan, EnrollmentState State, TouchRouting Routing,
    DateTimeOffset EnrolledAt, IReadOnlyDictionary<Channel, PolicyRequest> Requests);

public sealed record SimulatedDay(DateOnly Date, IReadOnlyDictionary<string, int> TouchesByChannel, int Total);

/// <summary>
/// The forecast: touches per day (in <see cref="SimulationResult.TimeZone"/>) and channel, non-time denials by
/// reason code, time deferrals by reason code (touches moved to their next allowed instant), how the contacts
/// end, and when the last one finishes (null when some are still running at the horizon).
/// </summary>
public sealed record SimulationResult(DateTimeOffset Start, DateTimeOffset Horizon, string TimeZone, int Contacts,
    IReadOnlyList<SimulatedDay> Days, IReadOnlyDictionary<string, int> DenialsByReason, IReadOnlyDictionary<string, int> DeferralsByReason,
    IReadOnlyDictionary<string, int> EndStates, int Completed, int StillRunning, DateTimeOffset? ExpectedCompletion);

/// <summary>
/// Runs the real engines — <see cref="TouchPlanner"/> (cadence, fallback, expiry), <see cref="PolicyEngine"/>
/// (windows, caps, consent…) and the enrollment state machine — on a virtual clock, in memory, sending
/// nothing. Assumptions: every allowed touch is sent and nobody replies or fails (the longest path); a
/// time-only denial sends at its nextAllowedAt.
/// </summary>
public static class CampaignSimulator
{
    const int MaxDecisionsPerContact = 200;

    public static SimulationResult Run(IReadOnlyList<SimulatedContact> contacts, DateTimeOffset start, int days, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        ArgumentNullException.ThrowIfNull(zone);
        var horizon = start + TimeSpan.FromDays(days);
        var perDay = new SortedDictionary<LocalDate, Dictionary<string, int>>();
        var denials = new Dictionary<string, int>(StringComparer.Ordinal);
        var deferrals = new Dictionary<string, int>(StringComparer.Ordinal);
        var ends = new Dictionary<string, int>(StringComparer.Ordinal);
        int completed = 0, running = 0;
        DateTimeOffset? last = null;

        foreach (var contact in contacts)
        {
            var (state, finishedAt) = RunOne(contact, start, horizon, zone, perDay, denials, deferrals);
            Count(ends, WireName.Of(state));
            if (finishedAt is { } at) { completed++; last = last is null || at > last ? at : last; }
            else running++;
        }
        return new SimulationResult(start, horizon, zone.Id, contacts.Count,
            [.. perDay.Select(d => new SimulatedDay(d.Key.ToDateOnly(), d.Value, d.Value.Values.Sum()))], denials, deferrals, ends,
            completed, running, running == 0 ? last : null);
    }

    static (EnrollmentState State, DateTimeOffset? FinishedAt) RunOne(SimulatedContact c, DateTimeOffset start, DateTimeOffset horizon,
        DateTimeZone zone, SortedDictionary<LocalDate, Dictionary<string, int>> perDay, Dictionary<string, int> denials, Dictionary<string, int> deferrals)
    {
        var state = c.State;
        var routing = c.Routing;
        var now = start;
        var touches = new List<RecentTouch>();
        for (var i = 0; i < MaxDecisionsPerContact; i++)
        {
            var next = TouchPlanner.Next(new TouchContext(c.EnrollmentId, c.Plan, state, routing, c.EnrolledAt, c.Requests.Keys.ToHashSet(), now));
            routing = next.Routing;
            var d = next.Decision;
            switch (d.Action)
            {
                case TouchAction.Wait:
                    if (d.Until is not { } until || until > horizon) return (state, null);
                    now = until;
                    continue;
                case TouchAction.End:
                    if (d.Cause is { } cause) state = EnrollmentStateMachine.Apply(state, cause).To;
                    return (state, now);
                case TouchAction.Idle or TouchAction.AwaitOutcome:
                    return (state, now);
            }

            var channel = d.Channel!.Value;
            var request = c.Requests[channel] with { Now = Instant.FromDateTimeOffset(now), RecentTouches = touches };
            var verdict = PolicyEngine.Evaluate(request);
            state = EnrollmentStateMachine.Apply(state, EnrollmentCause.TouchQueued).To;
            var at = now;
            if (!verdict.AllowSend && verdict.NextAllowedAt is { } allowedAt)
            {
                Count(deferrals, verdict.ReasonCode);
                at = allowedAt.ToDateTimeOffset();
                if (at > horizon) return (state, null);
                now = at;
            }
            else if (!verdict.AllowSend)
            {
                Count(denials, verdict.ReasonCode);
                var retry = TouchPlanner.RetryAfterDenial(verdict.ReasonCode, now);
                routing = TouchPlanner.RecordOutcome(routing, d.Key!, channel, retry is null ? AttemptStatus.Denied : AttemptStatus.Voided,
                    now, verdict.ReasonCode, retryAt: retry);
                continue;
            }
            touches.Add(new RecentTouch(channel, Instant.FromDateTimeOffset(at), request.Campaign?.CampaignId));
            var day = Instant.FromDateTimeOffset(at).InZone(zone).Date;
            if (!perDay.TryGetValue(day, out var byChannel)) perDay[day] = byChannel = new Dictionary<string, int>(StringComparer.Ordinal);
            Count(byChannel, WireName.Of(channel));
            routing = TouchPlanner.RecordOutcome(routing, d.Key!, channel, AttemptStatus.Sent, at);
        }
        return (state, null);
    }

    static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
