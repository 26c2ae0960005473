using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Touchpoint.Jobs;

/// <summary>
/// The queue on SQLite, with the same statements as PostgreSQL minus <c>SKIP LOCKED</c>: SQLite has one writer
/// per file, so a claim runs under <c>BEGIN IMMEDIATE</c> (takes the write lock up front; a second claimer waits
/// on the busy timeout instead of failing to upgrade) and claimers are serialized rather than skipping rows.
/// Storage follows EF's SQLite conventions: instants are UTC ticks, Guids upper-case text, enums wire names.
/// </summary>
public sealed class SqliteJobStore(string connectionString, int defaultMaxAttempts, JobWakeup? wakeup = null) : IJobStore
{
    const string Insert = """
        INSERT INTO scheduled_actions (workspace_id, id, kind, payload_json, run_at, status, attempts, max_attempts,
            priority, idempotency_key, created_at, updated_at)
        VALUES (@w, @i, @k, @p, @r, 'pending', 0, @m, @pr, @key, @now, @now)
        ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
        """;

    const string Claim = """
        UPDATE scheduled_actions SET status = 'running', attempts = attempts + 1, locked_until = @until,
            lock_token = @token, locked_by = @worker, updated_at = @now
        WHERE (workspace_id, id) IN (
            SELECT workspace_id, id FROM scheduled_actions
            WHERE status = 'pending' AND run_at <= @now
            ORDER BY priority DESC, run_at
            LIMIT @n)
        RETURNING workspace_id, id, kind, payload_json, run_at, attempts, max_attempts
        """;

    const string Reap = """
        UPDATE scheduled_actions SET
            status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
            last_error = CASE WHEN attempts >= max_attempts THEN 'lease expired on attempt ' || attempts ELSE last_error END,
            completed_at = CASE WHEN attempts >= max_attempts THEN @now ELSE NULL END,
            locked_until = NULL, lock_token = NULL, locked_by = NULL, updated_at = @now
        WHERE status = 'running' AND locked_until < @now
        """;

    // One in-process writer, no round trip to save: the two steps stay two short BEGIN IMMEDIATE transactions.
    public async Task<(int Completed, IReadOnlyList<ClaimedJob> Claimed)> CompleteThenClaimAsync(IReadOnlyList<ClaimedJob> finished,
        int batch, DateTimeOffset now, TimeSpan lease, string workerId, CancellationToken ct)
    {
        var completed = await CompleteAsync(finished, now, ct);
        return (completed, await ClaimAsync(batch, now, lease, workerId, ct));
    }

    public async Task<bool> EnqueueAsync(NewJob job, DateTimeOffset now, CancellationToken ct) =>
        await EnqueueManyAsync([job], now, ct) == 1;

    public async Task<int> EnqueueManyAsync(IReadOnlyList<NewJob> jobs, DateTimeOffset now, CancellationToken ct)
    {
        if (jobs.Count == 0) return 0;
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        await using var cmd = new SqliteCommand(Insert, c, tx);
        var inserted = 0;
        foreach (var job in jobs)
        {
            cmd.Parameters.Clear();
            cmd.Parameters.AddWithValue("@w", Text(job.WorkspaceId));
            cmd.Parameters.AddWithValue("@i", Text(Guid.CreateVersion7()));
            cmd.Parameters.AddWithValue("@k", job.Kind);
            cmd.Parameters.AddWithValue("@p", job.PayloadJson);
            cmd.Parameters.AddWithValue("@r", job.RunAt.UtcTicks);
            cmd.Parameters.AddWithValue("@m", job.MaxAttempts ?? defaultMaxAttempts);
            cmd.Parameters.AddWithValue("@pr", job.Priority);
            cmd.Parameters.AddWithValue("@key", job.IdempotencyKey);
            cmd.Parameters.AddWithValue("@now", now.UtcTicks);
            inserted += await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        // SQLite has no NOTIFY: a process can only wake its own loops (other processes poll).
        if (inserted > 0 && wakeup is not null) wakeup.WakeIfDue(jobs.Min(j => j.RunAt), now);
        return inserted;
    }

    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int batch, DateTimeOffset now, TimeSpan lease, string workerId, CancellationToken ct)
    {
        var token = Guid.CreateVersion7();
        var until = now + lease;
        await using var c = await OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false); // BEGIN IMMEDIATE
        await using var cmd = new SqliteCommand(Claim, c, tx);
        cmd.Parameters.AddWithValue("@now", now.UtcTicks);
        cmd.Parameters.AddWithValue("@until", until.UtcTicks);
        cmd.Parameters.AddWithValue("@n", batch);
        cmd.Parameters.AddWithValue("@token", Text(token));
        cmd.Parameters.AddWithValue("@worker", workerId);
        var claimed = new List<ClaimedJob>(batch);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                claimed.Add(new ClaimedJob(Guid.Parse(reader.GetString(0)), Guid.Parse(reader.GetString(1)), reader.GetString(2),
                    reader.GetString(3), new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero), reader.GetInt32(5),
                    reader.GetInt32(6), token, until.ToUniversalTime()));
        }
        await tx.CommitAsync(ct);
        return claimed;
    }

    public Task<int> CompleteAsync(IReadOnlyList<ClaimedJob> jobs, DateTimeOffset now, CancellationToken ct) =>
        UpdateHeldAsync(jobs, now, "status = 'succeeded', completed_at = @now", null, ct);

    public async Task<bool> FailAsync(ClaimedJob job, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken ct)
    {
        var set = retryAt is null
            ? "status = 'dead', last_error = @error, completed_at = @now"
            : "status = 'pending', last_error = @error, run_at = @retry";
        return await UpdateHeldAsync([job], now, set, cmd =>
        {
            cmd.Parameters.AddWithValue("@error", error);
            if (retryAt is { } r) cmd.Parameters.AddWithValue("@retry", r.UtcTicks);
        }, ct) == 1;
    }

    public Task<int> ReleaseAsync(IReadOnlyList<ClaimedJob> jobs, DateTimeOffset now, CancellationToken ct) =>
        UpdateHeldAsync(jobs, now, "status = 'pending', attempts = MAX(attempts - 1, 0)", null, ct);

    public async Task<int> ReapExpiredLeasesAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = new SqliteCommand(Reap, c);
        cmd.Parameters.AddWithValue("@now", now.UtcTicks);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One fenced UPDATE over a VALUES list of (workspace, id, token); the count says how many still held.</summary>
    async Task<int> UpdateHeldAsync(IReadOnlyList<ClaimedJob> jobs, DateTimeOffset now, string set,
        Action<SqliteCommand>? bind, CancellationToken ct)
    {
        if (jobs.Count == 0) return 0;
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        var held = new StringBuilder();
        for (var n = 0; n < jobs.Count; n++)
        {
            if (n > 0) held.Append(", ");
            held.Append(CultureInfo.InvariantCulture, $"(@w{n}, @i{n}, @t{n})");
            cmd.Parameters.AddWithValue($"@w{n}", Text(jobs[n].WorkspaceId));
            cmd.Parameters.AddWithValue($"@i{n}", Text(jobs[n].Id));
            cmd.Parameters.AddWithValue($"@t{n}", Text(jobs[n].LockToken));
        }
        cmd.CommandText = $"""
            UPDATE scheduled_actions SET {set}, locked_until = NULL, lock_token = NULL, locked_by = NULL, updated_at = @now
            WHERE status = 'running' AND (workspace_id, id, lock_token) IN (VALUES {held})
            """;
        cmd.Parameters.AddWithValue("@now", now.UtcTicks);
        bind?.Invoke(cmd);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    // EF Core's SQLite provider stores Guids as upper-case text; raw SQL must match it byte for byte.
    static string Text(Guid id) => id.ToString().ToUpperInvariant();

    async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(connectionString);
        await c.OpenAsync(ct);
        return c;
    }
}
