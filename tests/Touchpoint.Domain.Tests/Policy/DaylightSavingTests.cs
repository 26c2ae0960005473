using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

/// <summary>America/New_York: clocks jump 02:00→03:00 on 2025-03-09 and fall back 02:00→01:00 on 2025-11-02.</summary>
public sealed class DaylightSavingTests
{
    const string Eastern = "America/New_York";
    static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb[Eastern];

    [Fact]
    public void A_legal_window_denial_the_evening_before_spring_forward_reopens_at_eight_EDT()
    {
        var verdict = PolicyEngine.Evaluate(MarketingText(NewYorkPhone, At(Eastern, 2025, 3, 8, 22, 0)));
        Assert.Equal(PolicyReasonCodes.LegalWindow, verdict.ReasonCode);
        Assert.Equal(Instant.FromUtc(2025, 3, 9, 12, 0), verdict.NextAllowedAt); // 08:00 EDT = 12:00 UTC
    }

    [Fact]
    public void A_legal_window_denial_the_evening_before_fall_back_reopens_at_eight_EST()
    {
        var verdict = PolicyEngine.Evaluate(MarketingText(NewYorkPhone, At(Eastern, 2025, 11, 1, 22, 0)));
        Assert.Equal(Instant.FromUtc(2025, 11, 2, 13, 0), verdict.NextAllowedAt); // 08:00 EST = 13:00 UTC
    }

    [Fact]
    public void Quiet_hours_ending_inside_the_spring_gap_end_at_the_first_valid_instant_after_it()
    {
        // Email has no legal window, so only the campaign's 22:00–02:30 quiet hours matter.
        var request = MarketingText(NewYorkPhone, At(Eastern, 2025, 3, 8, 23, 0)).On(Channel.Email, "ana@example.com") with
        {
            Contact = MarketingText().Contact with { TimeZone = Eastern },
            Campaign = ActiveCampaign with { QuietHours = QuietHoursWindow.Parse("22:00", "02:30") },
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.Equal(PolicyReasonCodes.QuietHours, verdict.ReasonCode);
        Assert.Equal(Instant.FromUtc(2025, 3, 9, 7, 0), verdict.NextAllowedAt); // 03:00 EDT, first instant after the gap
        Assert.Equal(new LocalTime(3, 0), verdict.NextAllowedAt!.Value.InZone(NewYork).TimeOfDay);
    }

    [Fact]
    public void Quiet_hours_ending_inside_the_autumn_overlap_end_at_its_first_occurrence()
    {
        var request = MarketingText(NewYorkPhone, At(Eastern, 2025, 11, 1, 23, 0)).On(Channel.Email, "ana@example.com") with
        {
            Contact = MarketingText().Contact with { TimeZone = Eastern },
            Campaign = ActiveCampaign with { QuietHours = QuietHoursWindow.Parse("22:00", "01:30") },
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.Equal(Instant.FromUtc(2025, 11, 2, 5, 30), verdict.NextAllowedAt); // 01:30 EDT, the earlier of the two
    }

    [Fact]
    public void The_repeated_hour_after_fall_back_is_judged_by_the_local_clock_each_time()
    {
        // 01:15 happens twice; 22:00–01:30 quiet hours cover both.
        var first = Instant.FromUtc(2025, 11, 2, 5, 15);  // 01:15 EDT
        var second = Instant.FromUtc(2025, 11, 2, 6, 15); // 01:15 EST
        PolicyRequest Email(Instant now) => MarketingText(NewYorkPhone, now).On(Channel.Email, "ana@example.com") with
        {
            Contact = MarketingText().Contact with { TimeZone = Eastern },
            Campaign = ActiveCampaign with { QuietHours = QuietHoursWindow.Parse("22:00", "01:30") },
        };
        Assert.Equal(PolicyReasonCodes.QuietHours, PolicyEngine.Evaluate(Email(first)).ReasonCode);
        Assert.Equal(PolicyReasonCodes.QuietHours, PolicyEngine.Evaluate(Email(second)).ReasonCode);
        Assert.True(PolicyEngine.Evaluate(Email(Instant.FromUtc(2025, 11, 2, 6, 45))).AllowSend); // 01:45 EST
        // During the second 01:15 the first 01:30 is already past: quiet hours end at 01:30 EST.
        Assert.Equal(Instant.FromUtc(2025, 11, 2, 6, 30), PolicyEngine.Evaluate(Email(second)).NextAllowedAt);
    }

    [Fact]
    public void A_half_hour_DST_shift_on_Lord_Howe_is_respected()
    {
        // Lord Howe moves 02:00→02:30 on 2025-10-05; quiet hours 23:00–02:15 end inside that gap.
        var request = MarketingText(NewYorkPhone, At("Australia/Lord_Howe", 2025, 10, 4, 23, 30)).On(Channel.Email, "ana@example.com") with
        {
            Contact = MarketingText().Contact with { TimeZone = "Australia/Lord_Howe" },
            Campaign = ActiveCampaign with { QuietHours = QuietHoursWindow.Parse("23:00", "02:15") },
        };
        var next = PolicyEngine.Evaluate(request).NextAllowedAt!.Value;
        Assert.Equal(new LocalDateTime(2025, 10, 5, 2, 30), next.InZone(DateTimeZoneProviders.Tzdb["Australia/Lord_Howe"]).LocalDateTime);
    }
}
