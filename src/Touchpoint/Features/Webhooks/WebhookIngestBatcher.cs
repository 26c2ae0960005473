using Microsoft.EntityFrameworkCore;
using System.Threading.Channels;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Hosting;
using Channel = System.Threading.Channels.Channel;

namespace Touchpoint.Features.Webhooks;

/// <summary>
/// Group commit for webhook deliveries (docs/decisions/0022-webhook-group-commit.md). A receiver hands over its
/// verified (or refused) delivery and waits; a loop takes whatever has queued up meanwhile — up to
/// <see cref="MaxBatch"/> — inserts all the raw rows in one commit and then applies them in a second one. Under a
/// burst, a hundred callbacks share two commits instead of two each. The caller answers the provider only after its
/// delivery is applied and committed, exactly as before.
/// </summary>
public sealed partial class WebhookIngestBatcher(IServiceScopeFactory scopes, DatabaseSettings database, IConfiguration config,
    ILogger<WebhookIngestBatcher> log) : IAsyncDisposable
{
    /// <summary>Bounds how long one transaction holds SQLite's write lock (and PostgreSQL's row and advisory locks).</summary>
    public const int MaxBatch = 128;

    readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    readonly Lock startLock = new();
    Task? loops;

    /// <summary>
    /// SQLite has one writer, so one loop; PostgreSQL applies two batches side by side (<c>Touchpoint:Webhooks:IngestLoops</c>):
    /// a reply batch waits on round trips, so one loop leaves the CPU idle, while more loops cut the same load into
    /// smaller batches that cost more per request (docs/benchmarks.md, session 8: 2 beat 4 and 1 on status callbacks).
    /// </summary>
    int LoopCount => database.Provider == DatabaseProvider.Sqlite ? 1 : Math.Clamp(config.GetValue("Touchpoint:Webhooks:IngestLoops", 2), 1, 64);

    /// <summary>A delivery as the receiver built it; the processing fields are restored before a one-by-one retry.</summary>
    sealed record Pending(WebhookDelivery Delivery, bool Process, TaskCompletionSource<WebhookDelivery> Done,
        WebhookOutcome Outcome, string? Error, DateTimeOffset? ProcessedAt, DateTimeOffset UpdatedAt)
    {
        public void Restore()
        {
            Delivery.Outcome = Outcome;
            Delivery.Error = Error;
            Delivery.ProcessedAt = ProcessedAt;
            Delivery.UpdatedAt = UpdatedAt;
            Delivery.DedupeKey = null;
            Delivery.ProviderEventId = null;
        }
    }

    /// <summary>
    /// Archives <paramref name="delivery"/> and, when <paramref name="process"/>, applies it; completes once committed.
    /// <paramref name="ct"/> only stops the waiting: a delivery that was handed over is stored regardless.
    /// </summary>
    public Task<WebhookDelivery> SubmitAsync(WebhookDelivery delivery, bool process, CancellationToken ct)
    {
        EnsureRunning();
        var pending = new Pending(delivery, process, new(TaskCreationOptions.RunContinuationsAsynchronously),
            delivery.Outcome, delivery.Error, delivery.ProcessedAt, delivery.UpdatedAt);
        if (!queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(WebhookIngestBatcher));
        return pending.Done.Task.WaitAsync(ct);
    }

    void EnsureRunning()
    {
        if (Volatile.Read(ref loops) is not null) return;
        lock (startLock) loops ??= Task.WhenAll(Enumerable.Range(0, LoopCount).Select(_ => Task.Run(RunAsync)));
    }

    async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending)) batch.Add(pending);
            await RunBatchAsync(batch);
        }
    }

    /// <summary>Two commits for the whole batch: the raw rows first, then everything they cause.</summary>
    async Task RunBatchAsync(List<Pending> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            // One connection for both commits (closed with the scope): every return of a pooled PostgreSQL connection costs
            // a reset round trip (DISCARD ALL), two per batch before.
            await scope.ServiceProvider.GetRequiredService<TouchpointDb>().Database.OpenConnectionAsync(CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<WebhookArchive>().SaveAllAsync([.. batch.Select(p => p.Delivery)], CancellationToken.None);
        }
        catch (Exception e)
        {
            LogBatchFailed(log, e, batch.Count, "insert");
            await OneByOneAsync(batch, archived: false);
            return;
        }
        foreach (var p in batch.Where(p => !p.Process)) p.Done.TrySetResult(p.Delivery);

        var apply = batch.Where(p => p.Process).ToList();
        if (apply.Count == 0) return;
        try
        {
            await scope.ServiceProvider.GetRequiredService<WebhookProcessor>().ProcessBatchAsync([.. apply.Select(p => p.Delivery)], CancellationToken.None);
            foreach (var p in apply) p.Done.TrySetResult(p.Delivery);
        }
        catch (Exception e)
        {
            LogBatchFailed(log, e, apply.Count, "apply");
            await OneByOneAsync(apply, archived: true);
        }
    }

    /// <summary>
    /// The batch's transaction rolled back as a whole: each delivery again in its own scope and transactions, so only
    /// the one that really fails is marked failed (reprocessable) and a replay race is told apart from an error.
    /// </summary>
    async Task OneByOneAsync(List<Pending> batch, bool archived)
    {
        foreach (var p in batch)
        {
            p.Restore();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
                if (archived) db.WebhookDeliveries.Attach(p.Delivery);
                else await scope.ServiceProvider.GetRequiredService<WebhookArchive>().SaveAsync(p.Delivery, CancellationToken.None);
                p.Done.TrySetResult(p.Process
                    ? await scope.ServiceProvider.GetRequiredService<WebhookProcessor>().ProcessAsync(p.Delivery, CancellationToken.None)
                    : p.Delivery);
            }
            catch (Exception e)
            {
                p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>Runs when the host's services are disposed, after Kestrel has drained: whatever was handed over is stored.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (Volatile.Read(ref loops) is { } running) await running;
    }

    [LoggerMessage(LogLevel.Warning, "A webhook ingest batch of {Count} deliveries failed to {Step}; going on one at a time.")]
    static partial void LogBatchFailed(ILogger logger, Exception e, int count, string step);
}
