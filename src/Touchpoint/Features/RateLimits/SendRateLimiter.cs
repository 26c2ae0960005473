using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Touchpoint.Data;
using Touchpoint.Domain.RateLimits;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Hosting;

namespace Touchpoint.Features.RateLimits;

/// <summary>One bucket a send must pass, e.g. (sender, "+14155550100") or (workspace, workspace id).</summary>
public sealed record RateLimitKey(RateLimitScope Scope, string Key);

/// <summary>
/// Token buckets in <c>send_rate_limits</c>, shared by every worker process. A send takes one token from each of
/// its buckets or from none: all rows are read and written in one transaction — <c>SELECT … FOR UPDATE</c> in a
/// fixed order on PostgreSQL (no deadlock between two acquirers of overlapping keys), <c>BEGIN IMMEDIATE</c> on
/// SQLite. "Now" is the caller's (TimeProvider); buckets never refill backwards. Rows appear on first use with
/// the scope's configured default; scopes whose default is 0 are not limited unless a workspace configured them.
/// </summary>
public sealed class SendRateLimiter(DatabaseSettings database, IOptions<RateLimitOptions> options)
{
    readonly bool postgres = database.Provider == DatabaseProvider.Postgres;

    /// <summary>
    /// <see cref="TimeSpan.Zero"/> when a token was taken from every bucket; otherwise how long until all of them
    /// would have one, and nothing was taken. The dispatcher re-schedules the send by that much: excess work waits.
    /// </summary>
    public async Task<TimeSpan> TryAcquireAsync(Guid workspaceId, IReadOnlyList<RateLimitKey> keys, DateTimeOffset now,
        CancellationToken ct)
    {
        // The lock order: every acquirer visits shared buckets in the same sequence.
        var wanted = keys.Distinct().OrderBy(k => WireName.Of(k.Scope), StringComparer.Ordinal)
            .ThenBy(k => k.Key, StringComparer.Ordinal).ToList();
        if (wanted.Count == 0) return TimeSpan.Zero;

        // Two first acquirers of overlapping new buckets can still deadlock between a row lock and a pending
        // insert; PostgreSQL aborts one of them, and the retry finds the rows the other one created.
        for (var attempt = 1; ; attempt++)
        {
            try { return await AcquireOnceAsync(workspaceId, wanted, now, ct); }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
                                              && attempt < 5)
            {
            }
        }
    }

    async Task<TimeSpan> AcquireOnceAsync(Guid workspaceId, List<RateLimitKey> wanted, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using DbTransaction tx = postgres
            ? await ((NpgsqlConnection)connection).BeginTransactionAsync(ct)
            : ((SqliteConnection)connection).BeginTransaction(deferred: false); // BEGIN IMMEDIATE: one writer, up front
        var rows = await ReadAsync(connection, tx, workspaceId, wanted, ct);
        var missing = wanted.Where(k => !rows.ContainsKey(k) && !options.Value.For(k.Scope).IsUnlimited).ToList();
        if (missing.Count > 0)
        {
            await InsertDefaultsAsync(connection, tx, workspaceId, missing, now, ct);
            rows = await ReadAsync(connection, tx, workspaceId, wanted, ct);
        }

        var buckets = new List<(RateLimitKey Key, TokenBucket Bucket)>(rows.Count);
        var wait = TimeSpan.Zero;
        foreach (var (key, row) in rows)
        {
            var limit = options.Value.For(key.Scope);
            if (!row.Configured && limit.IsUnlimited) continue; // a default lifted to "no limit" after the row was made
            var bucket = (row.Configured ? row.Bucket : row.Bucket with { RatePerSecond = limit.RatePerSecond, Burst = limit.Burst })
                .RefilledTo(now);
            buckets.Add((key, bucket));
            if (bucket.WaitForToken() is var w && w > wait) wait = w;
        }
        if (wait > TimeSpan.Zero)
        {
            await tx.RollbackAsync(ct);
            return wait;
        }
        if (buckets.Count > 0) await WriteAsync(connection, tx, workspaceId, [.. buckets.Select(b => (b.Key, b.Bucket.Take()))], now, ct);
        await tx.CommitAsync(ct);
        return TimeSpan.Zero;
    }

    sealed record BucketRow(TokenBucket Bucket, bool Configured);

    async Task<Dictionary<RateLimitKey, BucketRow>> ReadAsync(DbConnection c, DbTransaction tx, Guid workspaceId,
        List<RateLimitKey> keys, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        var match = new StringBuilder();
        Add(cmd, "w", Id(workspaceId));
        for (var n = 0; n < keys.Count; n++)
        {
            if (n > 0) match.Append(" OR ");
            match.Append(CultureInfo.InvariantCulture, $"(scope = @s{n} AND scope_key = @k{n})");
            Add(cmd, $"s{n}", WireName.Of(keys[n].Scope));
            Add(cmd, $"k{n}", keys[n].Key);
        }
        cmd.CommandText = $"""
            SELECT scope, scope_key, rate_per_second, burst, tokens, refilled_at, configured FROM send_rate_limits
            WHERE workspace_id = @w AND ({match}) ORDER BY scope{(postgres ? " COLLATE \"C\"" : "")}, scope_key{(postgres ? " COLLATE \"C\" FOR UPDATE" : "")}
            """;
        var rows = new Dictionary<RateLimitKey, BucketRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var refilledAt = postgres ? r.GetFieldValue<DateTimeOffset>(5) : new DateTimeOffset(r.GetInt64(5), TimeSpan.Zero);
            rows[new RateLimitKey(WireName.Parse<RateLimitScope>(r.GetString(0)), r.GetString(1))] =
                new BucketRow(new TokenBucket(r.GetDouble(4), refilledAt, r.GetDouble(2), r.GetInt32(3)), r.GetBoolean(6));
        }
        return rows;
    }

    async Task InsertDefaultsAsync(DbConnection c, DbTransaction tx, Guid workspaceId, List<RateLimitKey> keys,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        var values = new StringBuilder();
        Add(cmd, "w", Id(workspaceId));
        Add(cmd, "now", At(now));
        for (var n = 0; n < keys.Count; n++)
        {
            var limit = options.Value.For(keys[n].Scope);
            if (n > 0) values.Append(", ");
            values.Append(CultureInfo.InvariantCulture, $"(@w, @i{n}, @s{n}, @k{n}, @r{n}, @b{n}, @b{n}, @now, {(postgres ? "false" : "0")}, @now, @now)");
            Add(cmd, $"i{n}", Id(Guid.CreateVersion7()));
            Add(cmd, $"s{n}", WireName.Of(keys[n].Scope));
            Add(cmd, $"k{n}", keys[n].Key);
            Add(cmd, $"r{n}", limit.RatePerSecond);
            Add(cmd, $"b{n}", limit.Burst);
        }
        cmd.CommandText = $"""
            INSERT INTO send_rate_limits (workspace_id, id, scope, scope_key, rate_per_second, burst, tokens, refilled_at,
                configured, created_at, updated_at)
            VALUES {values}
            ON CONFLICT (workspace_id, scope, scope_key) DO NOTHING
            """;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    async Task WriteAsync(DbConnection c, DbTransaction tx, Guid workspaceId, List<(RateLimitKey Key, TokenBucket Bucket)> buckets,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        var sql = new StringBuilder();
        Add(cmd, "w", Id(workspaceId));
        Add(cmd, "now", At(now));
        for (var n = 0; n < buckets.Count; n++)
        {
            var (key, b) = buckets[n];
            sql.Append(CultureInfo.InvariantCulture, $"""
                UPDATE send_rate_limits SET tokens = @t{n}, refilled_at = @at{n}, rate_per_second = @r{n}, burst = @b{n}, updated_at = @now
                WHERE workspace_id = @w AND scope = @s{n} AND scope_key = @k{n};
                """);
            Add(cmd, $"t{n}", b.Tokens);
            Add(cmd, $"at{n}", At(b.RefilledAt));
            Add(cmd, $"r{n}", b.RatePerSecond);
            Add(cmd, $"b{n}", b.Burst);
            Add(cmd, $"s{n}", WireName.Of(key.Scope));
            Add(cmd, $"k{n}", key.Key);
        }
        cmd.CommandText = sql.ToString();
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    // Raw SQL must store what EF stores: on SQLite upper-case Guid text and UTC ticks.
    object Id(Guid id) => postgres ? id : id.ToString().ToUpperInvariant();
    object At(DateTimeOffset t) => postgres ? t.ToUniversalTime() : t.UtcTicks;

    async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection c = postgres ? new NpgsqlConnection(database.ConnectionString) : new SqliteConnection(database.ConnectionString);
        await c.OpenAsync(ct);
        return c;
    }
}
