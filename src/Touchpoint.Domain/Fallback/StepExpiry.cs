namespace Touchpoint.Domain.Fallback;

/// <summary>
/// A step with <c>expiresAfterMinutes</c> may run only within that many minutes of becoming due: a touch that
/// was delayed (quiet hours, caps, outages) past its expiry is skipped rather than sent out of context.
/// The window is half-open: [dueAt, dueAt + expiresAfter).
/// </summary>
public static class StepExpiry
{
    /// <summary>When the step stops being runnable, or null if it never expires.</summary>
    public static DateTimeOffset? ExpiresAt(DateTimeOffset dueAt, int? expiresAfterMinutes)
    {
        if (expiresAfterMinutes is not { } minutes) return null;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minutes, nameof(expiresAfterMinutes));
        return dueAt + TimeSpan.FromMinutes(minutes);
    }

    /// <summary>True when the step must be skipped at <paramref name="now"/>.</summary>
    public static bool ShouldSkip(DateTimeOffset dueAt, int? expiresAfterMinutes, DateTimeOffset now) =>
        ExpiresAt(dueAt, expiresAfterMinutes) is { } expiresAt && now >= expiresAt;
}
