using Touchpoint.Domain.Fallback;

namespace Touchpoint.Domain.Tests.Fallback;

public sealed class StepExpiryTests
{
    static readonly DateTimeOffset Due = new(2025, 3, 9, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_step_without_expiry_always_runs()
    {
        Assert.False(StepExpiry.ShouldSkip(Due, null, Due.AddDays(365)));
        Assert.Null(StepExpiry.ExpiresAt(Due, null));
    }

    [Fact]
    public void A_step_runs_until_its_expiry_and_is_skipped_from_then_on()
    {
        Assert.False(StepExpiry.ShouldSkip(Due, 60, Due));
        Assert.False(StepExpiry.ShouldSkip(Due, 60, Due.AddMinutes(59)));
        Assert.True(StepExpiry.ShouldSkip(Due, 60, Due.AddMinutes(60)));
        Assert.True(StepExpiry.ShouldSkip(Due, 60, Due.AddDays(2)));
        Assert.Equal(Due.AddMinutes(60), StepExpiry.ExpiresAt(Due, 60));
    }

    [Fact]
    public void A_non_positive_expiry_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StepExpiry.ShouldSkip(Due, 0, Due));
    }
}
