using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

public sealed class RecipientTimeZoneTests
{
    [Theory]
    [InlineData("Asia/Kolkata", "Europe/London", "Australia/Sydney", "Asia/Kolkata", TimeZoneSource.Channel)]
    [InlineData(null, "Europe/London", "Australia/Sydney", "Europe/London", TimeZoneSource.Contact)]
    [InlineData("Not/AZone", "Europe/London", "Australia/Sydney", "Europe/London", TimeZoneSource.Contact)]
    [InlineData(null, null, "Australia/Sydney", "America/New_York", TimeZoneSource.PhoneNumber)]
    [InlineData(null, "Mars/Olympus", "Australia/Sydney", "America/New_York", TimeZoneSource.PhoneNumber)]
    public void The_address_zone_wins_then_the_contact_then_the_phone_number(
        string? addressZone, string? contactZone, string workspaceZone, string expected, TimeZoneSource source)
    {
        var request = MarketingText(NewYorkPhone) with
        {
            Address = new ResolvedAddress(NewYorkPhone, TimeZone: addressZone),
            Contact = MarketingText().Contact with { TimeZone = contactZone },
            Workspace = new WorkspacePolicy(workspaceZone, BudgetTier.Green),
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.Equal(expected, verdict.RecipientTimeZone);
        Assert.Equal(source, verdict.RecipientTimeZoneSource);
    }

    [Fact]
    public void Without_a_phone_zone_the_workspace_zone_is_used_and_an_invalid_one_falls_back_to_UTC()
    {
        var email = MarketingText().On(Channel.Email, "ana@example.com");
        var workspace = PolicyEngine.Evaluate(email with { Workspace = new WorkspacePolicy("Europe/Madrid", BudgetTier.Green) });
        var invalid = PolicyEngine.Evaluate(email with { Workspace = new WorkspacePolicy("Europe/Atlantis", BudgetTier.Green) });

        Assert.Equal(("Europe/Madrid", TimeZoneSource.Workspace), (workspace.RecipientTimeZone, workspace.RecipientTimeZoneSource));
        Assert.Equal(("UTC", TimeZoneSource.UtcFallback), (invalid.RecipientTimeZone, invalid.RecipientTimeZoneSource));
    }

    [Theory]
    [InlineData(MiamiPhone, "America/New_York")]
    [InlineData(SeattlePhone, "America/Los_Angeles")]
    [InlineData(LondonPhone, "Europe/London")]
    public void Phone_numbers_that_map_to_one_zone_give_that_zone(string phone, string expected)
    {
        var verdict = PolicyEngine.Evaluate(MarketingText(phone));
        Assert.Equal(TimeZoneSource.PhoneNumber, verdict.RecipientTimeZoneSource);
        Assert.Equal(expected, verdict.RecipientTimeZone);
    }

    [Fact]
    public void A_legal_window_is_judged_on_the_recipients_clock_not_the_workspaces()
    {
        // A New York number whose owner lives in Los Angeles: 22:00 in New York is 19:00 for the recipient.
        var request = MarketingText(NewYorkPhone, At("America/New_York", 2025, 6, 10, 22, 0)) with
        {
            Contact = MarketingText().Contact with { TimeZone = "America/Los_Angeles" },
            Workspace = new WorkspacePolicy("America/New_York", BudgetTier.Green),
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.True(verdict.AllowSend);
        Assert.Equal("America/Los_Angeles", verdict.RecipientTimeZone);
    }
}
