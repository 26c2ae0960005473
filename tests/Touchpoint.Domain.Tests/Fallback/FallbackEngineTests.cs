using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Fallback;

public sealed class FallbackEngineTests
{
    static readonly DateTimeOffset T0 = new(2025, 3, 9, 14, 0, 0, TimeSpan.Zero);
    static readonly FallbackRouting SmsThenEmail = new([Channel.Sms, Channel.Whatsapp, Channel.Email], MaxAttempts: 2, CooldownMinutes: 60);
    static readonly HashSet<Channel> All = [Channel.Sms, Channel.Whatsapp, Channel.Email];

    static FallbackSituation At(DateTimeOffset now, DeliveryOutcome outcome, Channel current, IReadOnlySet<Channel>? allowed = null, params ChannelAttempt[] attempts) =>
        new(SmsThenEmail, attempts, allowed ?? All, current, outcome, now);

    static ChannelAttempt Sms(int minutes) => new(Channel.Sms, T0.AddMinutes(minutes));

    [Theory]
    [InlineData(OutcomeKind.Replied, "replied", EnrollmentCause.ReplyReceived)]
    [InlineData(OutcomeKind.OptedOut, "opted_out", EnrollmentCause.OptOut)]
    [InlineData(OutcomeKind.Complained, "complained", EnrollmentCause.Complaint)]
    public void Replies_opt_outs_and_complaints_stop_the_step(OutcomeKind kind, string reason, EnrollmentCause cause)
    {
        var d = FallbackEngine.Decide(At(T0, new DeliveryOutcome(kind), Channel.Sms, null, Sms(0)));
        Assert.Equal((FallbackAction.Stop, reason, cause), (d.Action, d.Reason, d.EnrollmentCause));
        Assert.Null(d.Channel);
    }

    [Fact]
    public void A_transient_failure_waits_out_the_cooldown_then_retries_the_same_channel()
    {
        var failed = DeliveryOutcome.Failed("30003");
        var wait = FallbackEngine.Decide(At(T0.AddMinutes(10), failed, Channel.Sms, null, Sms(0)));
        Assert.Equal((FallbackAction.WaitCooldown, Channel.Sms, T0.AddMinutes(60)), (wait.Action, wait.Channel, wait.Until));

        var retry = FallbackEngine.Decide(At(T0.AddMinutes(60), failed, Channel.Sms, null, Sms(0)));
        Assert.Equal((FallbackAction.RetrySameChannel, Channel.Sms, "transient_failure"), (retry.Action, retry.Channel, retry.Reason));
        Assert.Null(retry.DeadChannel);
    }

    [Fact]
    public void A_channel_that_used_its_attempts_switches_to_the_next_allowed_channel_in_order()
    {
        var d = FallbackEngine.Decide(At(T0.AddMinutes(120), DeliveryOutcome.Failed("30008"), Channel.Sms, null, Sms(0), Sms(60)));
        Assert.Equal((FallbackAction.SwitchChannel, Channel.Whatsapp, "channel_exhausted"), (d.Action, d.Channel, d.Reason));
    }

    [Fact]
    public void Channels_the_contact_cannot_be_reached_on_are_skipped()
    {
        var d = FallbackEngine.Decide(At(T0.AddMinutes(120), DeliveryOutcome.NoReplyWithinWindow, Channel.Sms,
            new HashSet<Channel> { Channel.Sms, Channel.Email }, Sms(0), Sms(60)));
        Assert.Equal((FallbackAction.SwitchChannel, Channel.Email), (d.Action, d.Channel));
    }

    [Theory]
    [InlineData("30006")]
    [InlineData("21211")]
    [InlineData("21614")]
    [InlineData("21610")]
    public void Permanent_failures_never_retry_and_mark_the_channel_dead(string code)
    {
        var d = FallbackEngine.Decide(At(T0, DeliveryOutcome.Failed(code), Channel.Sms, null, Sms(0)));
        Assert.Equal((FallbackAction.SwitchChannel, Channel.Whatsapp, "channel_dead", Channel.Sms), (d.Action, d.Channel, d.Reason, d.DeadChannel));
        Assert.Contains(code, d.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hard_bounce_kills_email_and_with_nothing_left_stops_as_all_channels_exhausted()
    {
        var routing = new FallbackRouting([Channel.Email], 3, 1440);
        var s = new FallbackSituation(routing, [new(Channel.Email, T0)], new HashSet<Channel> { Channel.Email }, Channel.Email, DeliveryOutcome.Bounced, T0);
        var d = FallbackEngine.Decide(s);
        Assert.Equal((FallbackAction.Stop, FallbackDecision.AllChannelsExhausted, Channel.Email), (d.Action, d.Reason, d.DeadChannel));
        Assert.Equal(EnrollmentCause.AllChannelsExhausted, d.EnrollmentCause);
    }

    [Fact]
    public void The_callers_permanent_flag_overrides_the_code_table()
    {
        var d = FallbackEngine.Decide(At(T0, DeliveryOutcome.Failed("30008", permanent: true), Channel.Sms, null, Sms(0)));
        Assert.Equal(Channel.Sms, d.DeadChannel);
        var soft = FallbackEngine.Decide(At(T0, DeliveryOutcome.Undelivered("30006", permanent: false), Channel.Sms, null, Sms(0)));
        Assert.Null(soft.DeadChannel);
        Assert.Equal(FallbackAction.WaitCooldown, soft.Action);
    }

    [Fact]
    public void Every_channel_exhausted_stops_with_all_channels_exhausted()
    {
        ChannelAttempt[] attempts = [Sms(0), Sms(60), new(Channel.Whatsapp, T0.AddMinutes(120)), new(Channel.Whatsapp, T0.AddMinutes(180)),
            new(Channel.Email, T0.AddMinutes(240)), new(Channel.Email, T0.AddMinutes(300))];
        var d = FallbackEngine.Decide(At(T0.AddMinutes(400), DeliveryOutcome.NoReplyWithinWindow, Channel.Email, null, attempts));
        Assert.Equal((FallbackAction.Stop, "all_channels_exhausted"), (d.Action, d.Reason));
    }

    [Fact]
    public void A_sent_touch_on_an_exhausted_channel_gets_its_reply_window_before_switching()
    {
        var wait = FallbackEngine.Decide(At(T0.AddMinutes(70), DeliveryOutcome.Delivered, Channel.Sms, null, Sms(0), Sms(60)));
        Assert.Equal((FallbackAction.WaitCooldown, "awaiting_reply", T0.AddMinutes(120)), (wait.Action, wait.Reason, wait.Until));

        var next = FallbackEngine.Decide(At(T0.AddMinutes(120), DeliveryOutcome.Delivered, Channel.Sms, null, Sms(0), Sms(60)));
        Assert.Equal((FallbackAction.SwitchChannel, Channel.Whatsapp), (next.Action, next.Channel));
    }

    [Fact]
    public void A_sent_touch_with_attempts_left_waits_the_cooldown_before_the_next_attempt()
    {
        var d = FallbackEngine.Decide(At(T0.AddMinutes(1), DeliveryOutcome.Sent, Channel.Sms, null, Sms(0)));
        Assert.Equal((FallbackAction.WaitCooldown, Channel.Sms, T0.AddMinutes(60)), (d.Action, d.Channel, d.Until));
    }

    [Fact]
    public void Returning_to_a_channel_used_earlier_in_the_step_respects_its_cooldown()
    {
        // SMS was not allowed for a while; now email is dead and SMS, tried 10 minutes ago, is allowed again.
        var routing = new FallbackRouting([Channel.Sms, Channel.Email], 2, 60);
        var s = new FallbackSituation(routing, [Sms(0), new(Channel.Email, T0.AddMinutes(5))], new HashSet<Channel> { Channel.Sms, Channel.Email },
            Channel.Email, DeliveryOutcome.Bounced, T0.AddMinutes(10));
        var d = FallbackEngine.Decide(s);
        Assert.Equal((FallbackAction.WaitCooldown, Channel.Sms, T0.AddMinutes(60), Channel.Email), (d.Action, d.Channel, d.Until, d.DeadChannel));
    }

    [Fact]
    public void A_channel_no_longer_allowed_is_left_even_with_attempts_remaining()
    {
        var d = FallbackEngine.Decide(At(T0.AddMinutes(5), DeliveryOutcome.Failed("30003"), Channel.Sms,
            new HashSet<Channel> { Channel.Email }, Sms(0)));
        Assert.Equal((FallbackAction.SwitchChannel, Channel.Email, "channel_not_allowed"), (d.Action, d.Channel, d.Reason));
    }

    [Fact]
    public void A_step_starts_on_the_first_allowed_channel_or_stops_when_there_is_none()
    {
        var start = FallbackEngine.Start(SmsThenEmail, new HashSet<Channel> { Channel.Email, Channel.Whatsapp });
        Assert.Equal((FallbackAction.SwitchChannel, Channel.Whatsapp), (start.Action, start.Channel));
        var none = FallbackEngine.Start(SmsThenEmail, new HashSet<Channel> { Channel.Call });
        Assert.Equal((FallbackAction.Stop, FallbackDecision.AllChannelsExhausted), (none.Action, none.Reason));
    }

    [Fact]
    public void Actions_have_snake_case_wire_names()
    {
        Assert.Equal(["retry_same_channel", "wait_cooldown", "switch_channel", "stop"], Enum.GetValues<FallbackAction>().Select(a => WireName.Of(a)));
    }
}
