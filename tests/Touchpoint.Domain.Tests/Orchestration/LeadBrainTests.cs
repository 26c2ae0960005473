using Touchpoint.Domain.Leads;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Orchestration;

public sealed class LeadBrainTests
{
    static readonly DateTimeOffset Now = new(2026, 4, 7, 17, 0, 0, TimeSpan.Zero);

    static LeadFacts Facts() => new(Now, LeadStage.Contacted, [], [], [Channel.Sms, Channel.Email], [], false,
        Now.AddDays(-2), null, null, null, 0, []);

    [Fact]
    public void A_suppression_wins_over_everything()
    {
        var f = Facts() with { Suppressions = ["dnc"], LastInboundAt = Now.AddHours(-1), LastInboundChannel = Channel.Sms };
        Assert.Equal((NextActionKind.StopAll, "suppressed"), (LeadBrain.Decide(f).Action, LeadBrain.Decide(f).Reason));
    }

    [Fact]
    public void An_unanswered_reply_comes_first_on_its_channel()
    {
        var a = LeadBrain.Decide(Facts() with { LastInboundAt = Now.AddHours(-1), LastInboundChannel = Channel.Email });
        Assert.Equal((NextActionKind.Send, Channel.Email, 90), (a.Action, a.Channel, a.Priority));
    }

    [Fact]
    public void A_recent_negative_event_means_cooldown_until_fourteen_days_after_it()
    {
        var a = LeadBrain.Decide(Facts() with { RecentEvents = [new LeadEvent("ENROLLMENT_NOT_INTERESTED", Now.AddDays(-4), -20, null)] });
        Assert.Equal((NextActionKind.Cooldown, 10 * 24 * 60, "negative_cooldown"), (a.Action, a.DelayMinutes, a.Reason));
    }

    [Fact]
    public void An_open_touch_is_sent_when_due_and_reactivation_follows_reactivation_after()
    {
        var open = new OpenEnrollment(Guid.NewGuid(), Guid.NewGuid(), EnrollmentState.Attempting, Now.AddMinutes(90), Channel.Email, false, true);
        var send = LeadBrain.Decide(Facts() with { OpenEnrollments = [open] });
        Assert.Equal((NextActionKind.Send, Channel.Email, 90, "campaign_touch_scheduled"), (send.Action, send.Channel, send.DelayMinutes, send.Reason));
        Assert.Equal(NextActionKind.Reactivate, LeadBrain.Decide(Facts() with { ReactivationAfter = Now.AddDays(-1) }).Action);
        Assert.Equal((NextActionKind.Cooldown, 60), (LeadBrain.Decide(Facts() with { ReactivationAfter = Now.AddHours(1) }).Action,
            LeadBrain.Decide(Facts() with { ReactivationAfter = Now.AddHours(1) }).DelayMinutes));
        Assert.Equal(NextActionKind.DoNothing, LeadBrain.Decide(Facts()).Action);
    }
}
