using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Campaigns;

public sealed class CampaignRulesTests
{
    [Theory]
    [InlineData(FollowUpPreset.Gentle, 72 * 60, 1, 3)]
    [InlineData(FollowUpPreset.Balanced, 24 * 60, 2, 5)]
    [InlineData(FollowUpPreset.Aggressive, 4 * 60, 3, 10)]
    public void Presets_define_interval_and_caps(FollowUpPreset preset, int intervalMinutes, int perDay, int perWeek)
    {
        Assert.Equal(new CadenceDefaults(TimeSpan.FromMinutes(intervalMinutes), perDay, perWeek), CadencePresets.For(preset));
    }

    [Fact]
    public void Step_delay_prefers_the_step_then_the_overrides_then_the_preset()
    {
        var plan = PlanHashTests.Sample() with
        {
            Steps = [new(Channel.Sms, "a"), new(Channel.Sms, "b"), new(Channel.Sms, "c"), new(Channel.Sms, "d", DelayMinutes: 5)],
        };
        Assert.Equal(TimeSpan.Zero, CadencePresets.DelayBeforeStep(plan, 0));
        Assert.Equal(TimeSpan.FromDays(1), CadencePresets.DelayBeforeStep(plan, 1));
        Assert.Equal(TimeSpan.FromMinutes(5), CadencePresets.DelayBeforeStep(plan, 3));

        var overridden = plan with { Policy = plan.Policy with { IntervalOverrides = new(DefaultMinutes: 90, ByStep: new Dictionary<int, int> { [2] = 30 }) } };
        Assert.Equal(TimeSpan.FromMinutes(90), CadencePresets.DelayBeforeStep(overridden, 1));
        Assert.Equal(TimeSpan.FromMinutes(30), CadencePresets.DelayBeforeStep(overridden, 2));
        Assert.Equal(TimeSpan.FromMinutes(5), CadencePresets.DelayBeforeStep(overridden, 3));
    }

    [Fact]
    public void Caps_left_out_of_the_policy_come_from_the_preset()
    {
        var policy = new CampaignPolicy(null, null, 4, [Channel.Sms], FollowUpPreset.Aggressive);
        Assert.Equal((3, 4), CadencePresets.EffectiveCaps(policy));
    }

    [Theory]
    [InlineData(21, 0, true)]
    [InlineData(23, 59, true)]
    [InlineData(3, 0, true)]
    [InlineData(7, 59, true)]
    [InlineData(8, 0, false)]
    [InlineData(20, 59, false)]
    public void Quiet_hours_may_wrap_midnight(int hour, int minute, bool quiet)
    {
        Assert.Equal(quiet, new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)).Contains(new TimeOnly(hour, minute)));
    }

    [Fact]
    public void Quiet_hours_within_one_day_do_not_wrap()
    {
        var lunch = new QuietHours(new TimeOnly(12, 0), new TimeOnly(13, 0));
        Assert.True(lunch.Contains(new TimeOnly(12, 30)));
        Assert.False(lunch.Contains(new TimeOnly(13, 0)));
        Assert.False(lunch.Contains(new TimeOnly(23, 0)));
    }

    static readonly (CampaignStatus From, CampaignCommand Command, CampaignStatus To)[] Legal =
    [
        (CampaignStatus.Draft, CampaignCommand.Activate, CampaignStatus.Active),
        (CampaignStatus.Active, CampaignCommand.Pause, CampaignStatus.Paused),
        (CampaignStatus.Paused, CampaignCommand.Resume, CampaignStatus.Active),
        (CampaignStatus.Active, CampaignCommand.Complete, CampaignStatus.Completed),
        (CampaignStatus.Paused, CampaignCommand.Complete, CampaignStatus.Completed),
    ];

    public static TheoryData<CampaignStatus, CampaignCommand, CampaignStatus> LegalMoves() => [.. Legal];

    [Theory, MemberData(nameof(LegalMoves))]
    public void Campaign_status_moves_along_the_documented_edges(CampaignStatus from, CampaignCommand command, CampaignStatus to)
    {
        var change = CampaignStatusTransitions.Apply(from, command);
        Assert.True(change.Allowed);
        Assert.Equal(to, change.To);
        Assert.True(CampaignStatusTransitions.CanMove(from, to));
    }

    [Fact]
    public void Every_other_campaign_command_is_refused()
    {
        var legal = Legal.Select(m => (m.From, m.Command)).ToHashSet();
        var refused = 0;
        foreach (var from in Enum.GetValues<CampaignStatus>())
        {
            foreach (var command in Enum.GetValues<CampaignCommand>().Where(c => !legal.Contains((from, c))))
            {
                var change = CampaignStatusTransitions.Apply(from, command);
                Assert.False(change.Allowed);
                Assert.Equal(from, change.To);
                Assert.Equal($"cannot {WireName.Of(command)} a {WireName.Of(from)} campaign", change.RefusalReason);
                refused++;
            }
        }
        Assert.Equal(11, refused);
        Assert.False(CampaignStatusTransitions.CanMove(CampaignStatus.Completed, CampaignStatus.Active));
        Assert.False(CampaignStatusTransitions.CanMove(CampaignStatus.Draft, CampaignStatus.Paused));
    }

    [Fact]
    public void A_sound_plan_has_no_validation_errors()
    {
        Assert.Empty(CampaignPlanValidator.Validate(PlanHashTests.Sample()));
    }

    [Fact]
    public void Validation_names_every_bad_field()
    {
        var plan = new CampaignPlan(
            new CampaignPolicy(new QuietHours(new TimeOnly(9, 0), new TimeOnly(9, 0)), 6, 5, [Channel.Sms], FollowUpPreset.Gentle),
            [new CampaignStep(Channel.Email, " ", -1, new FallbackRouting([Channel.Sms, Channel.Sms, Channel.Call], 0, -5), ExpiresAfterMinutes: 0)]);
        var errors = CampaignPlanValidator.Validate(plan);
        Assert.Equal(
            ["policy.maxTouchesPerDay", "policy.quietHours", "steps[0].channel", "steps[0].delayMinutes", "steps[0].expiresAfterMinutes",
             "steps[0].fallback.cooldownMinutes", "steps[0].fallback.maxAttempts", "steps[0].fallback.order", "steps[0].template"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, errors["steps[0].fallback.order"].Length);
    }
}
