using Microsoft.Extensions.Options;

namespace Touchpoint.Jobs;

/// <summary>
/// <c>Workers</c> claim loops plus one tick loop (lease reaper, recurring schedule) and, on PostgreSQL, the
/// LISTEN loop. An idle claim loop waits for a <see cref="JobWakeup"/> or <c>IdlePoll</c>, whichever comes first.
/// Pauses are wall-clock, so a manual clock cannot stall them; <see cref="TimeProvider"/> only decides what is due.
/// </summary>
public sealed partial class QueueWorkers(JobRunner runner, IJobStore store, RecurringSchedule recurring, JobWakeup wakeup,
    TimeProvider clock, IOptions<SchedulerOptions> options, ILogger<QueueWorkers> log, PostgresJobListener? listener = null)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Workers == 0) return Task.CompletedTask;
        var prefix = $"{Environment.MachineName}:{Environment.ProcessId}";
        var loops = Enumerable.Range(1, o.Workers).Select(n => WorkAsync($"{prefix}:{n}", o, stoppingToken)).ToList();
        loops.Add(TickAsync(o, stoppingToken));
        if (listener is not null) loops.Add(listener.RunAsync(stoppingToken));
        return Task.WhenAll(loops);
    }

    async Task WorkAsync(string workerId, SchedulerOptions o, CancellationToken ct)
    {
        // A batch's successes are completed together with the next claim (one round trip), or here when the loop stops.
        var owed = new FinishedJobs();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var woken = wakeup.Next; // before the claim, so a wake during an empty claim is not lost
                try
                {
                    if (await runner.RunBatchAsync(workerId, owed, ct) == 0) await JobWakeup.WaitAsync(woken, o.IdlePoll, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    LogLoopFailed(log, e, workerId); // e.g. the database is briefly unreachable: keep polling
                    await PauseAsync(o.IdlePoll, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        finally
        {
            try
            {
                await runner.CompleteAsync(owed);
            }
            catch (Exception e)
            {
                LogLoopFailed(log, e, workerId); // the leases run out and the reaper hands the jobs back
            }
        }
    }

    async Task TickAsync(SchedulerOptions o, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var now = clock.GetUtcNow();
                await store.ReapExpiredLeasesAsync(now, ct);
                await recurring.EnqueueNextAsync(now, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogLoopFailed(log, e, "tick");
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await PauseAsync(o.TickInterval, ct);
        }
    }

    static async Task PauseAsync(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, ct); }
        catch (OperationCanceledException) { }
    }

    [LoggerMessage(LogLevel.Error, "Queue loop {Loop} failed; retrying after the idle poll.")]
    static partial void LogLoopFailed(ILogger logger, Exception e, string loop);
}
