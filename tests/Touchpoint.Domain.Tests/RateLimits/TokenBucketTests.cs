using Touchpoint.Domain.RateLimits;

namespace Touchpoint.Domain.Tests.RateLimits;

public sealed class TokenBucketTests
{
    static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_full_bucket_gives_its_burst_then_asks_to_wait_one_token_time()
    {
        var b = TokenBucket.Full(ratePerSecond: 4, burst: 2, T0);
        b = b.Take().Take();
        Assert.False(b.HasToken);
        Assert.Equal(TimeSpan.FromMilliseconds(250), b.WaitForToken());
    }

    [Fact]
    public void Waiting_exactly_the_reported_time_always_yields_a_token()
    {
        foreach (var rate in new[] { 0.1, 1.0 / 3, 0.7, 3.0, 7.0, 1000.0 })
        {
            var b = TokenBucket.Full(rate, 1, T0).Take();
            for (var n = 0; n < 50; n++)
            {
                var wait = b.WaitForToken();
                Assert.True(wait > TimeSpan.Zero);
                b = b.RefilledTo(b.RefilledAt + wait);
                Assert.True(b.HasToken, $"rate {rate}: no token after waiting {wait}");
                b = b.Take();
            }
        }
    }

    [Fact]
    public void Refill_is_capped_at_burst_and_never_runs_backwards()
    {
        var b = TokenBucket.Full(2, 3, T0).Take().Take().Take();
        Assert.Equal(3, b.RefilledTo(T0.AddHours(1)).Tokens);
        var late = b.RefilledTo(T0.AddSeconds(-10));
        Assert.Equal((0.0, T0), (late.Tokens, late.RefilledAt));
        Assert.Equal(1, b.RefilledTo(T0.AddSeconds(0.5)).Tokens, 9);
    }
}
