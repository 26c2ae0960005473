using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Orchestration;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Orchestration;

/// <summary>
/// Random plans, reachable channels and event sequences (time passing, sends, transient and permanent failures,
/// late failure reports, denials, voids, replies, operator changes) run through the planner the way the host does.
/// </summary>
public sealed class TouchPlannerProperties
{
    static readonly DateTimeOffset T0 = new(2026, 4, 6, 12, 0, 0, TimeSpan.Zero);
    static readonly Channel[] Channels = [Channel.Sms, Channel.Whatsapp, Channel.Email];
    static readonly Guid EnrollmentId = Guid.Parse("0195a3c4-0000-7000-8000-0000000000e1");

    enum Ev { Advance, Sent, FailTransient, FailPermanent, LateFailure, Deny, Void, Reply, Operator }

    static readonly Gen<CampaignStep> Step =
        from channel in Gen.Elements(Channels)
        from useFallback in Gen.Elements(true, false)
        from orderSeed in Gen.Choose(0, 5)
        from orderLength in Gen.Choose(1, 3)
        from attempts in Gen.Choose(1, 3)
        from cooldown in Gen.Elements(0, 30, 120)
        from delay in Gen.Elements(0, 60, 1440, 2880)
        from expires in Gen.Elements<int?>(null, null, 30, 600)
        from stops in Gen.Elements<IReadOnlyList<string>?>(null, [], ["replied"], ["qualified"])
        select new CampaignStep(channel, "t", delay,
            useFallback ? new FallbackRouting([.. Rotate(orderSeed).Take(orderLength)], attempts, cooldown) : null, stops, expires);

    static readonly Gen<(Ev, int)> Event =
        from kind in Gen.Elements(Enum.GetValues<Ev>())
        from value in Gen.Choose(0, 1500)
        select (kind, value);

    static readonly Arbitrary<(CampaignStep[] Steps, Channel[] Reachable, (Ev, int)[] Events)> Runs =
        (from steps in Step.ArrayOf().Where(s => s.Length is > 0 and <= 3)
         from reachable in Gen.SubListOf(Channels)
         from events in Event.ArrayOf()
         select (steps, reachable.ToArray(), events)).ToArbitrary();

    [Property(MaxTest = 600)]
    public Property Random_event_sequences_keep_the_enrollment_defined_and_never_issue_a_key_twice() =>
        Prop.ForAll(Runs, run =>
        {
            var policy = new CampaignPolicy(null, null, null, Channels, FollowUpPreset.Balanced);
            var plan = new CampaignPlan(policy, run.Steps);
            var reachable = run.Reachable.ToHashSet();
            var state = EnrollmentState.New;
            var routing = new TouchRouting();
            var now = T0;
            var issued = new HashSet<string>();
            var sentKeys = new List<(string Key, Channel Channel)>();

            foreach (var (kind, value) in run.Events)
            {
                var pending = routing.Pending;
                switch (kind)
                {
                    case Ev.Advance: now += TimeSpan.FromMinutes(value); break;
                    case Ev.Sent when pending is not null:
                        routing = TouchPlanner.RecordOutcome(routing, pending.Key, pending.Channel, AttemptStatus.Sent, now);
                        sentKeys.Add((pending.Key, pending.Channel));
                        break;
                    case Ev.FailTransient when pending is not null:
                        routing = TouchPlanner.RecordOutcome(routing, pending.Key, pending.Channel, AttemptStatus.Failed, now, "30003");
                        break;
                    case Ev.FailPermanent when pending is not null:
                        routing = TouchPlanner.RecordOutcome(routing, pending.Key, pending.Channel, AttemptStatus.Failed, now, "30006", permanent: true);
                        break;
                    case Ev.LateFailure when sentKeys.Count > 0:
                        var (key, channel) = sentKeys[value % sentKeys.Count];
                        routing = TouchPlanner.RecordOutcome(routing, key, channel, AttemptStatus.Failed, now, "30006", permanent: true);
                        break;
                    case Ev.Deny when pending is not null:
                        routing = TouchPlanner.RecordOutcome(routing, pending.Key, pending.Channel, AttemptStatus.Denied, now, "consent_required");
                        break;
                    case Ev.Void when pending is not null:
                        routing = TouchPlanner.RecordOutcome(routing, pending.Key, pending.Channel, AttemptStatus.Voided, now, "budget_red",
                            retryAt: TouchPlanner.RetryAfterDenial("budget_red", now));
                        break;
                    case Ev.Reply:
                        state = EnrollmentStateMachine.Apply(state, EnrollmentCause.ReplyReceived).To;
                        routing = routing with { RepliedAt = routing.RepliedAt ?? now };
                        break;
                    case Ev.Operator:
                        state = EnrollmentStateMachine.OperatorSet(state, Enum.GetValues<EnrollmentState>()[value % 9]).To;
                        break;
                }

                var next = TouchPlanner.Next(new TouchContext(EnrollmentId, plan, state, routing, T0, reachable, now));
                var d = next.Decision;
                if (!Enum.IsDefined(d.Action) || !Enum.IsDefined(state)) return false.Label("undefined action or state");
                if (EnrollmentStates.IsTerminal(state) && d.Action != TouchAction.Idle) return false.Label($"{state} got {d.Action}");
                if (d.Action == TouchAction.Wait && d.Until <= now) return false.Label("wait for a past instant");
                if (d.Action == TouchAction.Send)
                {
                    if (routing.Ended is not null) return false.Label("send after the sequence ended");
                    if (!issued.Add(d.Key!)) return false.Label($"key {d.Key} issued twice");
                    if (d.Key != TouchKeys.For(EnrollmentId, d.Step, d.Channel!.Value, d.Attempt)) return false.Label("key shape");
                    if (!reachable.Contains(d.Channel.Value) || next.Routing.DeadChannels.Contains(d.Channel.Value)) return false.Label("unusable channel");
                    var queued = EnrollmentStateMachine.Apply(state, EnrollmentCause.TouchQueued);
                    if (!queued.Allowed) return false.Label($"touch in {state}");
                    state = queued.To;
                    // A crash before the outcome (or a second worker) decides again from the stored routing: same key, no new one.
                    var again = TouchPlanner.Next(new TouchContext(EnrollmentId, plan, state, next.Routing, T0, reachable, now)).Decision;
                    if (again.Action != TouchAction.AwaitOutcome || again.Key != d.Key) return false.Label("re-decision issued another touch");
                }
                if (d is { Action: TouchAction.End, Cause: { } cause }) state = EnrollmentStateMachine.Apply(state, cause).To;
                routing = next.Routing;
            }
            return true.ToProperty();
        });

    static IEnumerable<Channel> Rotate(int seed) => Enumerable.Range(0, 3).Select(i => Channels[(seed + i) % 3])
        .Reverse().Skip(seed % 2).Concat(Channels).Distinct();
}
