namespace Touchpoint.Jobs;

/// <summary>
/// A job kind that can run many claimed jobs of one workspace at once (one DI scope, shared queries). Registered in
/// addition to its <see cref="IJobHandler"/> (<see cref="JobHandlers.AddBatchJobHandler{THandler}"/>): the runner hands
/// it every job of its kind and workspace in a claimed batch and reads one <see cref="BatchJobResult"/> per job, so
/// one job's failure fails only that job. Jobs it returns as <see cref="BatchJobResult.RunAlone"/> — and all of them
/// when the batch call itself throws — then run one by one through <see cref="IJobHandler.HandleAsync"/>.
/// </summary>
public interface IBatchJobHandler
{
    /// <summary>Returns one result per job, in the order of <paramref name="jobs"/>.</summary>
    Task<IReadOnlyList<BatchJobResult>> HandleBatchAsync(IReadOnlyList<ClaimedJob> jobs, CancellationToken ct);
}

/// <summary>What became of one job of a batch: done, failed (as if its handler had thrown), or left to the single path.</summary>
public sealed record BatchJobResult
{
    public static readonly BatchJobResult Done = new();
    public static readonly BatchJobResult RunAlone = new() { Alone = true };

    public Exception? Error { get; private init; }
    public bool Alone { get; private init; }

    public static BatchJobResult Failed(Exception error) => new() { Error = error };
}
