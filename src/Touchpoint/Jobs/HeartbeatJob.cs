namespace Touchpoint.Jobs;

/// <summary>A recurring no-op that proves the schedule fires exactly once per occurrence across nodes.</summary>
public sealed partial class HeartbeatJob(ILogger<HeartbeatJob> log) : IJobHandler
{
    public const string Kind = "heartbeat";

    public Task HandleAsync(ClaimedJob job, CancellationToken ct)
    {
        LogBeat(log, job.RunAt);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Debug, "Scheduler heartbeat for {Occurrence:O}.")]
    static partial void LogBeat(ILogger logger, DateTimeOffset occurrence);
}
