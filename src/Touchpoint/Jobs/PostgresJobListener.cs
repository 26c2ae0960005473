using Npgsql;

namespace Touchpoint.Jobs;

/// <summary>
/// Holds one dedicated connection that <c>LISTEN</c>s on <see cref="Channel"/>, where the
/// <c>trg_scheduled_actions_notify</c> trigger announces inserts of due work from any process, and turns each
/// notification into a <see cref="JobWakeup.Wake"/>. On connection loss it reconnects with backoff and wakes the
/// loops once, since notifications sent while it was away are lost.
/// </summary>
public sealed partial class PostgresJobListener(string connectionString, JobWakeup wakeup, ILogger<PostgresJobListener> log)
{
    public const string Channel = "touchpoint_jobs";
    static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    // Unpooled (a pooled return would UNLISTEN) and with TCP keepalive, so a silently dead link is noticed.
    readonly string listenConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        KeepAlive = 15,
        ApplicationName = "touchpoint-job-listener",
    }.ConnectionString;

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(listenConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, _) => wakeup.Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                wakeup.Wake(); // whatever was inserted while nobody listened
                backoff = TimeSpan.FromSeconds(1);
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(log, e, backoff);
                try { await Task.Delay(backoff, ct); }
                catch (OperationCanceledException) { return; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "LISTEN connection for due jobs failed; workers poll until it is back (retry in {Backoff}).")]
    static partial void LogListenFailed(ILogger logger, Exception e, TimeSpan backoff);
}
