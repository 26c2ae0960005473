namespace Touchpoint.Domain.RateLimits;

/// <summary>
/// A token bucket: refills continuously at <see cref="RatePerSecond"/> up to <see cref="Burst"/>; a send takes one
/// token. Time only moves forward: an instant earlier than <see cref="RefilledAt"/> (another process's clock, a
/// late request) refills nothing, so no token is ever minted twice for the same interval.
/// </summary>
public readonly record struct TokenBucket(double Tokens, DateTimeOffset RefilledAt, double RatePerSecond, int Burst)
{
    public static TokenBucket Full(double ratePerSecond, int burst, DateTimeOffset now) => new(burst, now, ratePerSecond, burst);

    public TokenBucket RefilledTo(DateTimeOffset now)
    {
        if (now <= RefilledAt) return this with { Tokens = Math.Min(Tokens, Burst) };
        var tokens = Math.Min(Burst, Tokens + ((now - RefilledAt).TotalSeconds * RatePerSecond));
        return this with { Tokens = tokens, RefilledAt = now };
    }

    // Floating-point refills land a hair under 1.0 after waiting exactly WaitForToken(); that is a whole token.
    const double Epsilon = 1e-9;

    public bool HasToken => Tokens >= 1 - Epsilon;

    public TokenBucket Take() => this with { Tokens = Tokens - 1 };

    /// <summary>How long until one whole token is there (zero when it already is).</summary>
    public TimeSpan WaitForToken()
    {
        if (HasToken) return TimeSpan.Zero;
        // Round up to the tick so that waiting exactly this long always yields the token.
        return TimeSpan.FromTicks((long)Math.Ceiling((1 - Tokens) / RatePerSecond * TimeSpan.TicksPerSecond));
    }
}
