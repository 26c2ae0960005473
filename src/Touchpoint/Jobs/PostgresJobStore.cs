using Npgsql;
using NpgsqlTypes;

namespace Touchpoint.Jobs;

/// <summary>
/// The queue on PostgreSQL: many claimers at once, kept apart by <c>FOR UPDATE SKIP LOCKED</c> (as River's
/// JobGetAvailable). Each call is one statement on a pooled connection, so it commits on its own.
/// </summary>
public sealed class PostgresJobStore(string connectionString, int defaultMaxAttempts, JobWakeup? wakeup = null,
    bool prepareStatements = true) : IJobStore
{
    // The queue's own pool: its statements leave no session state behind, so a returned connection needs no
    // DISCARD ALL (an extra statement and commit on every reuse, i.e. per claim and per completion), and the
    // five statements are prepared once per connection instead of parsed and planned on every call.
    readonly string queueConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        NoResetOnClose = true,
        MaxAutoPrepare = prepareStatements ? 16 : 0,
        AutoPrepareMinUsages = 2,
    }.ConnectionString;

    const string Insert = """
        INSERT INTO scheduled_actions (workspace_id, id, kind, payload_json, run_at, status, attempts, max_attempts,
            priority, idempotency_key, created_at, updated_at)
        SELECT w, i, k, p::jsonb, r, 'pending', 0, m, pr, key, @now, @now
        FROM unnest(@w::uuid[], @i::uuid[], @k::text[], @p::text[], @r::timestamptz[], @m::int[], @pr::int[], @key::text[])
            AS t(w, i, k, p, r, m, pr, key)
        ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
        """;

    // status = 'pending' AND run_at <= @now matches the partial index ix_scheduled_actions_ready.
    // MATERIALIZED keeps the locked pick evaluated once, whatever plan the UPDATE gets.
    const string Claim = """
        WITH picked AS MATERIALIZED (
            SELECT workspace_id, id FROM scheduled_actions
            WHERE status = 'pending' AND run_at <= @now
            ORDER BY priority DESC, run_at
            LIMIT @n
            FOR UPDATE SKIP LOCKED)
        UPDATE scheduled_actions SET status = 'running', attempts = attempts + 1, locked_until = @until,
            lock_token = @token, locked_by = @worker, updated_at = @now
        WHERE (workspace_id, id) IN (SELECT workspace_id, id FROM picked)
        RETURNING workspace_id, id, kind, payload_json::text, run_at, attempts, max_attempts
        """;

    // Per claim (lock token): the jobs by primary key and the token they must still hold. A token is set only while its
    // claim runs (every way out clears it), so it alone says "running under this claim", with no status predicate
    // whose estimate goes stale. Plain key arrays keep the plan an index lookup: a join with unnest() over a stale
    // "status = 'running'" estimate was planned as a nested loop rescanning the list per running row — 29 to 250 ms
    // for a batch of 500 instead of a few (docs/decisions/0023).
    const string Held = """
        WHERE s.workspace_id = ANY(@w) AND s.id = ANY(@i) AND s.lock_token = @t
        """;

    const string Reap = """
        UPDATE scheduled_actions SET
            status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
            last_error = CASE WHEN attempts >= max_attempts THEN 'lease expired on attempt ' || attempts ELSE last_error END,
            completed_at = CASE WHEN attempts >= max_attempts THEN @now ELSE NULL END,
            locked_until = NULL, lock_token = NULL, locked_by = NULL, updated_at = @now
        WHERE status = 'running' AND locked_until < @now
        """;

    public async Task<bool> EnqueueAsync(NewJob job, DateTimeOffset now, CancellationToken ct) =>
        await EnqueueManyAsync([job], now, ct) == 1;

    public async Task<int> EnqueueManyAsync(IReadOnlyList<NewJob> jobs, DateTimeOffset now, CancellationToken ct)
    {
        if (jobs.Count == 0) return 0;
        await using var c = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(Insert, c);
        cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
        cmd.Parameters.AddWithValue("w", jobs.Select(j => j.WorkspaceId).ToArray());
        cmd.Parameters.AddWithValue("i", jobs.Select(_ => Guid.CreateVersion7()).ToArray());
        cmd.Parameters.AddWithValue("k", jobs.Select(j => j.Kind).ToArray());
        cmd.Parameters.AddWithValue("p", jobs.Select(j => j.PayloadJson).ToArray());
        cmd.Parameters.AddWithValue("r", jobs.Select(j => j.RunAt.ToUniversalTime()).ToArray());
        cmd.Parameters.AddWithValue("m", jobs.Select(j => j.MaxAttempts ?? defaultMaxAttempts).ToArray());
        cmd.Parameters.AddWithValue("pr", jobs.Select(j => j.Priority).ToArray());
        cmd.Parameters.AddWithValue("key", jobs.Select(j => j.IdempotencyKey).ToArray());
        var inserted = await cmd.ExecuteNonQueryAsync(ct);
        // Other processes hear the trigger's NOTIFY; this one need not wait for its own round trip.
        if (inserted > 0 && wakeup is not null) wakeup.WakeIfDue(jobs.Min(j => j.RunAt), now);
        return inserted;
    }

    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int batch, DateTimeOffset now, TimeSpan lease, string workerId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(Claim, c);
        var claimed = BindClaim(cmd.Parameters, batch, now, lease, workerId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await ReadClaimedAsync(reader, claimed, ct);
        return claimed.Jobs;
    }

    /// <summary>A claim's lease, as bound to its statement and stamped on every job it returns.</summary>
    sealed record PendingClaim(Guid Token, DateTimeOffset Until, List<ClaimedJob> Jobs);

    static PendingClaim BindClaim(NpgsqlParameterCollection parameters, int batch, DateTimeOffset now, TimeSpan lease, string workerId)
    {
        var claim = new PendingClaim(Guid.CreateVersion7(), (now + lease).ToUniversalTime(), new List<ClaimedJob>(batch));
        parameters.AddWithValue("now", now.ToUniversalTime());
        parameters.AddWithValue("until", claim.Until);
        parameters.AddWithValue("n", batch);
        parameters.AddWithValue("token", claim.Token);
        parameters.AddWithValue("worker", workerId);
        return claim;
    }

    static async Task ReadClaimedAsync(NpgsqlDataReader reader, PendingClaim claim, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct))
            claim.Jobs.Add(new ClaimedJob(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5), reader.GetInt32(6), claim.Token, claim.Until));
    }

    public Task<int> CompleteAsync(IReadOnlyList<ClaimedJob> jobs, DateTimeOffset now, CancellationToken ct) =>
        UpdateHeldAsync(jobs, now, Succeeded, null, ct);

    const string Succeeded = "status = 'succeeded', completed_at = @now";

    /// <summary>
    /// The completion and the next claim as one batch of two statements: one round trip, and one implicit transaction
    /// (Npgsql sends a single Sync), so they commit together or not at all.
    /// </summary>
    public async Task<(int Completed, IReadOnlyList<ClaimedJob> Claimed)> CompleteThenClaimAsync(IReadOnlyList<ClaimedJob> finished,
        int batch, DateTimeOffset now, TimeSpan lease, string workerId, CancellationToken ct)
    {
        if (finished.Count == 0) return (0, await ClaimAsync(batch, now, lease, workerId, ct));
        await using var c = await OpenAsync(ct);
        await using var both = new NpgsqlBatch(c);
        var completions = AddHeldUpdates(both, finished, now, Succeeded, null);
        var claim = new NpgsqlBatchCommand(Claim);
        var claimed = BindClaim(claim.Parameters, batch, now, lease, workerId);
        both.BatchCommands.Add(claim);
        await using (var reader = await both.ExecuteReaderAsync(ct))
        {
            // Only the claim returns rows (the completions' counts are read below); don't rely on where the reader starts.
            do await ReadClaimedAsync(reader, claimed, ct);
            while (await reader.NextResultAsync(ct));
        }
        return (completions.Sum(u => u.RecordsAffected), claimed.Jobs);
    }

    public async Task<bool> FailAsync(ClaimedJob job, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken ct)
    {
        var set = retryAt is null
            ? "status = 'dead', last_error = @error, completed_at = @now"
            : "status = 'pending', last_error = @error, run_at = @retry";
        return await UpdateHeldAsync([job], now, set, parameters =>
        {
            parameters.AddWithValue("error", error);
            if (retryAt is { } r) parameters.AddWithValue("retry", r.ToUniversalTime());
        }, ct) == 1;
    }

    public Task<int> ReleaseAsync(IReadOnlyList<ClaimedJob> jobs, DateTimeOffset now, CancellationToken ct) =>
        UpdateHeldAsync(jobs, now, "status = 'pending', attempts = GREATEST(attempts - 1, 0)", null, ct);

    public async Task<int> ReapExpiredLeasesAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(Reap, c);
        cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One fenced UPDATE per claim among the jobs (usually one), in one round trip; the count says how many still held their lease.</summary>
    async Task<int> UpdateHeldAsync(IReadOnlyList<ClaimedJob> jobs, DateTimeOffset now, string set,
        Action<NpgsqlParameterCollection>? bind, CancellationToken ct)
    {
        if (jobs.Count == 0) return 0;
        await using var c = await OpenAsync(ct);
        await using var batch = new NpgsqlBatch(c);
        var updates = AddHeldUpdates(batch, jobs, now, set, bind);
        await batch.ExecuteNonQueryAsync(ct);
        return updates.Sum(u => u.RecordsAffected);
    }

    static List<NpgsqlBatchCommand> AddHeldUpdates(NpgsqlBatch batch, IReadOnlyList<ClaimedJob> jobs, DateTimeOffset now, string set,
        Action<NpgsqlParameterCollection>? bind)
    {
        var updates = new List<NpgsqlBatchCommand>();
        foreach (var claim in jobs.GroupBy(j => j.LockToken))
        {
            var update = new NpgsqlBatchCommand(
                $"UPDATE scheduled_actions AS s SET {set}, locked_until = NULL, lock_token = NULL, locked_by = NULL, updated_at = @now {Held}");
            update.Parameters.AddWithValue("now", now.ToUniversalTime());
            update.Parameters.AddWithValue("w", NpgsqlDbType.Array | NpgsqlDbType.Uuid, claim.Select(j => j.WorkspaceId).Distinct().ToArray());
            update.Parameters.AddWithValue("i", NpgsqlDbType.Array | NpgsqlDbType.Uuid, claim.Select(j => j.Id).ToArray());
            update.Parameters.AddWithValue("t", claim.Key);
            bind?.Invoke(update.Parameters);
            batch.BatchCommands.Add(update);
            updates.Add(update);
        }
        return updates;
    }

    async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var c = new NpgsqlConnection(queueConnectionString);
        await c.OpenAsync(ct);
        return c;
    }
}
