using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

public sealed class UsStateRulesTests
{
    const string Eastern = "America/New_York";

    [Fact]
    public void Florida_text_at_half_past_eight_in_the_evening_is_denied_but_New_York_is_allowed()
    {
        var evening = At(Eastern, 2025, 6, 10, 20, 30);
        var florida = PolicyEngine.Evaluate(MarketingText(MiamiPhone, evening));
        var newYork = PolicyEngine.Evaluate(MarketingText(NewYorkPhone, evening));

        Assert.False(florida.AllowSend);
        Assert.Equal(PolicyReasonCodes.LegalWindow, florida.ReasonCode);
        Assert.Equal("US-FL", florida.Jurisdiction);
        Assert.Equal(At(Eastern, 2025, 6, 11, 8, 0), florida.NextAllowedAt);
        Assert.StartsWith("local 20:30 Tuesday in America/New_York is outside 08:00–20:00", florida.Rule(PolicyRuleNames.LegalWindow).Detail, StringComparison.Ordinal);
        Assert.True(newYork.AllowSend);
        Assert.Equal("US", newYork.Jurisdiction);
    }

    [Theory]
    [InlineData(OklahomaCityPhone, "America/Chicago", "US-OK")]
    [InlineData(BaltimorePhone, Eastern, "US-MD")]
    [InlineData(SeattlePhone, "America/Los_Angeles", "US-WA")]
    public void Stricter_states_close_at_eight_in_the_evening(string phone, string zone, string jurisdiction)
    {
        var atFive = PolicyEngine.Evaluate(MarketingText(phone, At(zone, 2025, 6, 10, 19, 59)));
        var atEight = PolicyEngine.Evaluate(MarketingText(phone, At(zone, 2025, 6, 10, 20, 0)));
        Assert.True(atFive.AllowSend);
        Assert.Equal(jurisdiction, atEight.Jurisdiction);
        Assert.Equal(PolicyReasonCodes.LegalWindow, atEight.ReasonCode);
    }

    [Theory]
    [InlineData(2025, 6, 15, 10, 0, false)] // Sunday morning
    [InlineData(2025, 6, 15, 12, 30, true)] // Sunday after noon
    [InlineData(2025, 6, 16, 8, 30, false)] // Monday before nine
    [InlineData(2025, 6, 16, 20, 30, true)] // Monday evening (Texas keeps the 9 p.m. close)
    public void Texas_opens_at_nine_on_weekdays_and_noon_on_sunday(int y, int m, int d, int h, int min, bool allowed)
    {
        var verdict = PolicyEngine.Evaluate(MarketingText(AustinPhone, At("America/Chicago", y, m, d, h, min)));
        Assert.Equal("US-TX", verdict.Jurisdiction);
        Assert.Equal(allowed, verdict.AllowSend);
    }

    [Fact]
    public void An_explicit_state_overrides_the_one_inferred_from_the_number()
    {
        var request = MarketingText(NewYorkPhone, At(Eastern, 2025, 6, 10, 20, 30)) with
        {
            Contact = MarketingText().Contact with { UsState = "FL" },
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.Equal("US-FL", verdict.Jurisdiction);
        Assert.Equal(PolicyReasonCodes.LegalWindow, verdict.ReasonCode);
    }

    [Fact]
    public void Fourth_Florida_text_on_the_same_subject_within_24_hours_waits_until_the_oldest_ages_out()
    {
        var now = At(Eastern, 2025, 6, 10, 12, 0);
        var oldest = At(Eastern, 2025, 6, 9, 19, 50);
        var request = MarketingText(MiamiPhone, now) with
        {
            RecentTouches = [TextOnCampaign(oldest), TextOnCampaign(At(Eastern, 2025, 6, 9, 19, 55)), TextOnCampaign(At(Eastern, 2025, 6, 10, 10, 0))],
        };
        var verdict = PolicyEngine.Evaluate(request);

        Assert.False(verdict.AllowSend);
        Assert.Equal(PolicyReasonCodes.SubjectLimit, verdict.ReasonCode);
        Assert.Equal(oldest + Duration.FromHours(24), verdict.NextAllowedAt);
    }

    [Fact]
    public void When_the_oldest_text_ages_out_inside_quiet_hours_the_next_allowed_instant_is_when_they_end()
    {
        var request = MarketingText(MiamiPhone, At(Eastern, 2025, 6, 10, 12, 0)) with
        {
            Campaign = ActiveCampaign with { QuietHours = QuietHoursWindow.Parse("19:00", "09:00") },
            RecentTouches =
            [
                TextOnCampaign(At(Eastern, 2025, 6, 9, 19, 30)),
                TextOnCampaign(At(Eastern, 2025, 6, 10, 10, 0)),
                TextOnCampaign(At(Eastern, 2025, 6, 10, 11, 0)),
            ],
        };
        var verdict = PolicyEngine.Evaluate(request);

        Assert.Equal(PolicyReasonCodes.SubjectLimit, verdict.ReasonCode);
        // The 19:30 text ages out at 19:30 on the 10th, inside 19:00–09:00: the answer is 09:00 next morning.
        Assert.Equal(At(Eastern, 2025, 6, 11, 9, 0), verdict.NextAllowedAt);
    }

    [Fact]
    public void Texts_on_another_subject_and_New_York_numbers_are_not_held_to_three_a_day()
    {
        var now = At(Eastern, 2025, 6, 10, 12, 0);
        RecentTouch[] three = [.. Enumerable.Range(1, 3).Select(h => TextOnCampaign(now - Duration.FromHours(h)))];
        var otherSubject = MarketingText(MiamiPhone, now) with { RecentTouches = three, SubjectKey = "renewal-2025" };
        var newYork = MarketingText(NewYorkPhone, now) with { RecentTouches = three };

        Assert.True(PolicyEngine.Evaluate(otherSubject).AllowSend);
        Assert.True(PolicyEngine.Evaluate(newYork).AllowSend);
    }

    [Fact]
    public void Canadian_numbers_and_email_follow_only_the_campaign_window()
    {
        var lateEvening = At("America/Toronto", 2025, 6, 10, 22, 30);
        var canada = PolicyEngine.Evaluate(MarketingText(TorontoPhone, lateEvening));
        var email = PolicyEngine.Evaluate(MarketingText(NewYorkPhone, lateEvening).On(Channel.Email, "ana@example.com"));

        Assert.True(canada.AllowSend);
        Assert.Equal("CA", canada.Jurisdiction);
        Assert.Equal(RuleVerdict.NotApplicable, canada.Rule(PolicyRuleNames.LegalWindow).Verdict);
        Assert.True(email.AllowSend);
    }
}
