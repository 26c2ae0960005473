using System.Collections.Concurrent;
using Touchpoint.Jobs;

namespace Touchpoint.Tests.Jobs;

/// <summary>What the test handler saw, and whether it should fail; one per test host.</summary>
public sealed class JobRecorder
{
    public ConcurrentQueue<ClaimedJob> Ran { get; } = new();
    public volatile bool Fail;
}

/// <summary>A test-only job kind, registered the same way a feature registers its handler.</summary>
public sealed class RecordingJob(JobRecorder recorder) : IJobHandler
{
    public const string Kind = "test.record";

    public Task HandleAsync(ClaimedJob job, CancellationToken ct)
    {
        recorder.Ran.Enqueue(job);
        if (recorder.Fail) throw new InvalidOperationException($"provider said no (attempt {job.Attempts})");
        return Task.CompletedTask;
    }

    public static void Register(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<JobRecorder>();
        builder.Services.AddJobHandler<RecordingJob>(Kind);
    }
}
