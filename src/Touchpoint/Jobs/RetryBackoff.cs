namespace Touchpoint.Jobs;

/// <summary>Exponential backoff with jitter, so a failing provider is not hammered in lockstep by every worker.</summary>
public static class RetryBackoff
{
    /// <summary>base × 2^(attempt-1), capped, then ±20% jitter.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan cap, Random random)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var raw = Math.Min(baseDelay.TotalSeconds * Math.Pow(2, exponent), cap.TotalSeconds);
        var jitter = 0.8 + (random.NextDouble() * 0.4);
        return TimeSpan.FromSeconds(raw * jitter);
    }
}
