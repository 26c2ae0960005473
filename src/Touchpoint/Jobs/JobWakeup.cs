namespace Touchpoint.Jobs;

/// <summary>
/// Wakes idle claim loops as soon as due work may exist, so they do not sleep through it (ARCHITECTURE §5).
/// Fed by PostgreSQL <c>NOTIFY</c> (<see cref="PostgresJobListener"/>), by this process's own enqueues and by
/// EF inserts of <c>ScheduledAction</c> (<see cref="JobWakeupInterceptor"/>); polling stays the fallback.
/// </summary>
public sealed class JobWakeup
{
    /// <summary>A job whose run_at is at most this far ahead counts as due for a wake-up (same as the NOTIFY trigger).</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(5);

    TaskCompletionSource signal = NewSignal();

    /// <summary>
    /// Completes at the next <see cref="Wake"/>. Take it <em>before</em> looking for work: a wake that lands
    /// between an empty claim and the wait still ends the wait.
    /// </summary>
    public Task Next => Volatile.Read(ref signal).Task;

    public void Wake() => Interlocked.Exchange(ref signal, NewSignal()).TrySetResult();

    public void WakeIfDue(DateTimeOffset runAt, DateTimeOffset now)
    {
        if (runAt <= now + Horizon) Wake();
    }

    /// <summary>Waits for <paramref name="next"/> or the poll interval, whichever comes first; never throws on shutdown.</summary>
    public static async Task WaitAsync(Task next, TimeSpan poll, CancellationToken ct)
    {
        try { await next.WaitAsync(poll, ct); }
        catch (TimeoutException) { }
        catch (OperationCanceledException) { }
    }

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
