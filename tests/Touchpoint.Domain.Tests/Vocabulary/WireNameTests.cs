using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Vocabulary;

public sealed class WireNameTests
{
    [Fact]
    public void Wire_names_follow_the_seed_spelling()
    {
        Assert.Equal("opt_in", WireName.Of(ConsentStatus.OptIn));
        Assert.Equal("DO_NOT_CONTACT", WireName.Of(EnrollmentState.DoNotContact));
        Assert.Equal("AI_MODE", WireName.Of(ColumnMode.AiMode));
        Assert.Equal("rvm", WireName.Of(Channel.Rvm));
    }

    [Fact]
    public void Parsing_is_case_insensitive_and_rejects_unknown_names()
    {
        Assert.Equal(SuppressionReason.OptedOut, WireName.Parse<SuppressionReason>("OPTED_OUT"));
        Assert.False(WireName.TryParse<Channel>("fax", out _));
        Assert.Throws<FormatException>(() => WireName.Parse<BudgetTier>("BLUE"));
    }

    [Fact]
    public void Every_enum_value_round_trips_through_json()
    {
        foreach (var state in Enum.GetValues<EnrollmentState>())
        {
            var json = System.Text.Json.JsonSerializer.Serialize(state);
            Assert.Equal($"\"{WireName.Of(state)}\"", json);
            Assert.Equal(state, System.Text.Json.JsonSerializer.Deserialize<EnrollmentState>(json));
        }
    }
}
