using NodaTime;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Orchestration;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Campaigns;

public sealed class StrategyDefaultsTests
{
    static readonly StrategyDefaults Strategy = new(FollowUpPreset.Aggressive, new IntervalOverrides(DefaultMinutes: 90));

    static CampaignPlan Plan(FollowUpPreset? preset, IntervalOverrides? overrides) => PlanHashTests.Sample() with
    {
        Policy = PlanHashTests.Sample().Policy with { Preset = preset, IntervalOverrides = overrides, MaxTouchesPerDay = null, MaxTouchesPerWeek = null },
        Steps = [new(Channel.Sms, "a", DelayMinutes: 0), new(Channel.Sms, "b"), new(Channel.Sms, "c", DelayMinutes: 5)],
    };

    [Fact]
    public void Step_beats_campaign_beats_active_strategy_beats_the_default()
    {
        // Nothing set by the campaign: the strategy's overrides and preset (caps 3/10 of AGGRESSIVE).
        var inherited = StrategyDefaults.Apply(Plan(null, null), Strategy);
        Assert.Equal(TimeSpan.FromMinutes(90), CadencePresets.DelayBeforeStep(inherited, 1));
        Assert.Equal(TimeSpan.FromMinutes(5), CadencePresets.DelayBeforeStep(inherited, 2)); // the step's own delay wins
        Assert.Equal((3, 10), CadencePresets.EffectiveCaps(inherited.Policy));

        // The campaign's own overrides win; the preset still comes from the strategy.
        var ownOverrides = StrategyDefaults.Apply(Plan(null, new IntervalOverrides(DefaultMinutes: 30)), Strategy);
        Assert.Equal(TimeSpan.FromMinutes(30), CadencePresets.DelayBeforeStep(ownOverrides, 1));
        Assert.Equal(FollowUpPreset.Aggressive, ownOverrides.Policy.Preset);

        // A campaign that names its preset owns its cadence: the strategy's overrides do not apply.
        var ownPreset = StrategyDefaults.Apply(Plan(FollowUpPreset.Gentle, null), Strategy);
        Assert.Equal(TimeSpan.FromDays(3), CadencePresets.DelayBeforeStep(ownPreset, 1));

        // No active strategy: BALANCED.
        Assert.Equal(TimeSpan.FromDays(1), CadencePresets.DelayBeforeStep(StrategyDefaults.Apply(Plan(null, null), null), 1));
    }

    [Theory]
    [InlineData(SuppressionScope.Contact, SuppressionReason.Manual, "manual_stop", "suppressed_manual")]
    [InlineData(SuppressionScope.Contact, SuppressionReason.Complaint, "complaint", "suppressed_complaint")]
    [InlineData(SuppressionScope.Address, SuppressionReason.OptedOut, "opt_out", "suppressed_opted_out")]
    [InlineData(SuppressionScope.Address, SuppressionReason.Dnc, "opt_out", "suppressed_dnc")]
    [InlineData(SuppressionScope.Address, SuppressionReason.Bounced, null, null)]
    public void A_suppression_denial_stops_the_enrollment_unless_it_only_rules_out_an_address(SuppressionScope scope, SuppressionReason reason,
        string? cause, string? stoppedReason)
    {
        var now = Instant.FromUtc(2026, 4, 6, 15, 0);
        var request = new PolicyRequest(new ContactSnapshot(Guid.NewGuid(), "America/New_York", 0, LeadStage.New, null), Channel.Sms,
            MessagePurpose.Marketing, new ResolvedAddress("+12125550100", false, null), new WorkspacePolicy("America/New_York", BudgetTier.Green), now)
        {
            Suppressions = [new ActiveSuppression(scope, reason)],
            Consent = new ChannelConsent(ConsentStatus.OptIn),
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.Equal(PolicyReasonCodes.Suppressed, verdict.ReasonCode);
        var stop = DenialStop.For(request, verdict);
        Assert.Equal(cause, stop is null ? null : WireName.Of(stop.Cause));
        Assert.Equal(stoppedReason, stop?.Reason);
        if (stop is not null) Assert.True(EnrollmentStateMachine.Apply(EnrollmentState.Attempting, stop.Cause).Changed);
    }

    [Fact]
    public void Only_listed_message_events_of_the_current_step_stop_the_sequence()
    {
        var plan = Plan(null, null) with
        {
            Steps = [new(Channel.Email, "a", StopOnEvents: ["clicked", "opened"]), new(Channel.Email, "b")],
        };
        var atStep0 = new TouchRouting();
        Assert.True(StopEvents.Stops(plan, atStep0, StopEvents.Clicked));
        Assert.True(StopEvents.Stops(plan, atStep0, StopEvents.Opened));
        Assert.False(StopEvents.Stops(plan, atStep0, StopEvents.Delivered));
        Assert.False(StopEvents.Stops(plan, atStep0 with { Step = 1 }, StopEvents.Clicked)); // step 1 lists only the default (replied)
        Assert.False(StopEvents.Stops(plan, atStep0 with { Ended = "replied" }, StopEvents.Clicked));
        Assert.NotEmpty(CampaignPlanValidator.Validate(plan with { Steps = [new(Channel.Email, "a", StopOnEvents: ["exploded"])] }));
    }
}
