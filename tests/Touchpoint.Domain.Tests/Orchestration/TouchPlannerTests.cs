using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Orchestration;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Orchestration;

public sealed class TouchPlannerTests
{
    static readonly DateTimeOffset T0 = new(2026, 4, 6, 12, 0, 0, TimeSpan.Zero);
    static readonly Guid Id = Guid.Parse("0195a3c4-0000-7000-8000-0000000000e2");
    static readonly HashSet<Channel> Phone = [Channel.Sms, Channel.Whatsapp];
    static readonly HashSet<Channel> PhoneAndEmail = [Channel.Sms, Channel.Whatsapp, Channel.Email];

    static CampaignPlan Plan(IReadOnlyList<string>? stops = null, int? expires = null) => new(
        new CampaignPolicy(null, null, null, [Channel.Sms, Channel.Whatsapp, Channel.Email], FollowUpPreset.Balanced),
        [
            new CampaignStep(Channel.Sms, "one", 0, new FallbackRouting([Channel.Sms, Channel.Whatsapp], 1, 30), stops, expires),
            new CampaignStep(Channel.Whatsapp, "two", 1440),
            new CampaignStep(Channel.Email, "three", 1440),
        ]);

    static TouchPlan Next(CampaignPlan plan, TouchRouting routing, DateTimeOffset now, IReadOnlySet<Channel>? reachable = null,
        EnrollmentState state = EnrollmentState.Attempting) =>
        TouchPlanner.Next(new TouchContext(Id, plan, state, routing, T0, reachable ?? PhoneAndEmail, now));

    [Fact]
    public void The_first_touch_goes_on_the_step_channel_with_attempt_one_and_waits_for_its_outcome()
    {
        var first = Next(Plan(), new TouchRouting(), T0);
        Assert.Equal((TouchAction.Send, Channel.Sms, 1, $"touch:{Id}:0:sms:1"), (first.Decision.Action, first.Decision.Channel, first.Decision.Attempt, first.Decision.Key));
        var again = Next(Plan(), first.Routing, T0.AddMinutes(5));
        Assert.Equal((TouchAction.AwaitOutcome, first.Decision.Key), (again.Decision.Action, again.Decision.Key));
    }

    [Fact]
    public void A_landline_failure_switches_to_whatsapp_in_the_same_step_and_sms_is_dead_for_later_steps()
    {
        var sms = Next(Plan(), new TouchRouting(), T0);
        var failed = TouchPlanner.RecordOutcome(sms.Routing, sms.Decision.Key!, Channel.Sms, AttemptStatus.Failed, T0.AddMinutes(1), "30006", permanent: true);
        var fallback = Next(Plan(), failed, T0.AddMinutes(1));
        Assert.Equal((TouchAction.Send, 0, Channel.Whatsapp), (fallback.Decision.Action, fallback.Decision.Step, fallback.Decision.Channel));
        Assert.Contains(Channel.Sms, fallback.Routing.DeadChannels);

        var sent = TouchPlanner.RecordOutcome(fallback.Routing, fallback.Decision.Key!, Channel.Whatsapp, AttemptStatus.Sent, T0.AddMinutes(2));
        var waiting = Next(Plan(), sent, T0.AddMinutes(3));
        Assert.Equal((TouchAction.Wait, T0.AddMinutes(2 + 1440)), (waiting.Decision.Action, waiting.Decision.Until));
    }

    [Fact]
    public void A_failure_reported_after_the_send_re_opens_the_step_until_the_next_step_starts()
    {
        var sms = Next(Plan(), new TouchRouting(), T0);
        var sent = TouchPlanner.RecordOutcome(sms.Routing, sms.Decision.Key!, Channel.Sms, AttemptStatus.Sent, T0);
        var reopened = TouchPlanner.RecordOutcome(sent, sms.Decision.Key!, Channel.Sms, AttemptStatus.Failed, T0.AddHours(1), "30006", permanent: true);
        Assert.Null(reopened.StepSentAt);
        Assert.Equal(Channel.Whatsapp, Next(Plan(), reopened, T0.AddHours(1)).Decision.Channel);
        // Reported twice: nothing changes the second time.
        Assert.Same(reopened, TouchPlanner.RecordOutcome(reopened, sms.Decision.Key!, Channel.Sms, AttemptStatus.Failed, T0.AddHours(2), "30006", permanent: true));
    }

    [Fact]
    public void When_no_step_can_reach_the_contact_the_sequence_ends_all_channels_exhausted()
    {
        var sms = Next(Plan(), new TouchRouting(), T0, Phone);
        var r = TouchPlanner.RecordOutcome(sms.Routing, sms.Decision.Key!, Channel.Sms, AttemptStatus.Failed, T0, "30006", permanent: true);
        var wa = Next(Plan(), r, T0, Phone);
        r = TouchPlanner.RecordOutcome(wa.Routing, wa.Decision.Key!, Channel.Whatsapp, AttemptStatus.Failed, T0, "21211", permanent: true);
        var end = Next(Plan(), r, T0, Phone);
        Assert.Equal((TouchAction.End, "all_channels_exhausted", EnrollmentCause.AllChannelsExhausted), (end.Decision.Action, end.Decision.Reason, end.Decision.Cause));
        Assert.Contains(end.Notes, n => n.Kind == "exhausted" && n.Step == 0);
    }

    [Fact]
    public void A_denied_channel_falls_back_and_a_paused_campaign_voids_the_attempt_for_a_retry_on_the_same_channel()
    {
        var sms = Next(Plan(), new TouchRouting(), T0);
        var denied = TouchPlanner.RecordOutcome(sms.Routing, sms.Decision.Key!, Channel.Sms, AttemptStatus.Denied, T0, "consent_required");
        Assert.Equal(Channel.Whatsapp, Next(Plan(), denied, T0).Decision.Channel);

        var voided = TouchPlanner.RecordOutcome(sms.Routing, sms.Decision.Key!, Channel.Sms, AttemptStatus.Voided, T0, "campaign_not_active",
            retryAt: TouchPlanner.RetryAfterDenial("campaign_not_active", T0));
        var retry = Next(Plan(), voided, T0.AddHours(3));
        Assert.Equal((Channel.Sms, 2, $"touch:{Id}:0:sms:2"), (retry.Decision.Channel, retry.Decision.Attempt, retry.Decision.Key));
    }

    [Fact]
    public void An_expired_step_is_skipped_and_noted()
    {
        var plan = Plan(expires: 60);
        var late = Next(plan, new TouchRouting(), T0.AddHours(2));
        Assert.Equal((TouchAction.Wait, 1), (late.Decision.Action, late.Decision.Step));
        Assert.Equal("expired", Assert.Single(late.Notes).Kind);
    }

    [Fact]
    public void A_reply_ends_the_sequence_by_default_but_not_when_the_step_lists_no_stop_events()
    {
        var replied = new TouchRouting { RepliedAt = T0 };
        var stop = Next(Plan(), replied, T0, state: EnrollmentState.Engaged);
        Assert.Equal((TouchAction.End, "replied", (EnrollmentCause?)null), (stop.Decision.Action, stop.Decision.Reason, stop.Decision.Cause));
        Assert.Equal("replied", stop.Routing.Ended);
        Assert.Equal(TouchAction.Send, Next(Plan(stops: []), replied, T0, state: EnrollmentState.Engaged).Decision.Action);
    }

    [Fact]
    public void After_the_last_step_the_reply_window_passes_then_the_sequence_completes()
    {
        var r = new TouchRouting { Step = 2, StepDueAt = T0, StepSentAt = T0, LastSentAt = T0, TouchesSent = 3 };
        Assert.Equal((TouchAction.Wait, T0.AddDays(1)), (Next(Plan(), r, T0.AddHours(1)).Decision.Action, Next(Plan(), r, T0.AddHours(1)).Decision.Until));
        var done = Next(Plan(), r, T0.AddDays(1));
        Assert.Equal((TouchAction.End, "sequence_completed"), (done.Decision.Action, done.Decision.Reason));
        Assert.Equal(TouchAction.Idle, Next(Plan(), r, T0.AddDays(2), state: EnrollmentState.Unreachable).Decision.Action);
    }
}
