using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Data.Entities;

namespace Touchpoint.Features.Idempotency;

/// <summary>What a request carrying an Idempotency-Key should do.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>First use: run the handler, then <see cref="IdempotencyService.CompleteAsync"/> or <see cref="IdempotencyService.AbandonAsync"/>.</summary>
    public sealed record Started(Guid RecordId) : IdempotencyClaim;
    /// <summary>Same key, same request, finished: send the stored response again.</summary>
    public sealed record Replay(IdempotencyRecord Record) : IdempotencyClaim;
    /// <summary>Same key used for a different request (body, method or path).</summary>
    public sealed record Mismatch : IdempotencyClaim;
    /// <summary>Same key, same request, the first one is still running.</summary>
    public sealed record InProgress : IdempotencyClaim;
}

/// <summary>
/// The <c>idempotency_records</c> ledger. A first use inserts an in-progress row (status 0); the unique
/// (workspace_id, key) index makes exactly one of two concurrent first uses win. The insert is raw
/// <c>ON CONFLICT DO NOTHING</c> (same text on both stores): a lost race is an answer, not an error to log, and the
/// row never enters the change tracker the handler's own SaveChanges uses.
/// </summary>
public sealed class IdempotencyService(TouchpointDb db, TimeProvider clock, IOptions<IdempotencyOptions> options)
{
    public async Task<IdempotencyClaim> ClaimAsync(Guid workspaceId, string key, string method, string path,
        string requestHash, CancellationToken ct)
    {
        // Two rounds: the second runs only after an expired or abandoned row was removed.
        for (var round = 0; round < 2; round++)
        {
            var now = clock.GetUtcNow();
            var existing = await FindAsync(workspaceId, key, ct);
            if (existing is not null)
            {
                if (!IsStale(existing, now)) return Judge(existing, method, path, requestHash);
                await db.IdempotencyRecords.Where(r => r.WorkspaceId == workspaceId && r.Id == existing.Id).ExecuteDeleteAsync(ct);
            }

            var recordId = Guid.CreateVersion7();
            if (await TryInsertAsync(workspaceId, recordId, key, method, path, requestHash, now, ct))
                return new IdempotencyClaim.Started(recordId);
            // Someone else inserted the key between our read and our insert; judge their row.
            var winner = await FindAsync(workspaceId, key, ct);
            if (winner is not null && !IsStale(winner, now)) return Judge(winner, method, path, requestHash);
        }
        return new IdempotencyClaim.InProgress();
    }

    /// <summary>Stores a 2xx response for replay.</summary>
    public Task CompleteAsync(Guid workspaceId, Guid recordId, int statusCode, string body, string? contentType,
        string? location, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.IdempotencyRecords.Where(r => r.WorkspaceId == workspaceId && r.Id == recordId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.StatusCode, statusCode)
                .SetProperty(r => r.ResponseBody, body)
                .SetProperty(r => r.ResponseContentType, contentType)
                .SetProperty(r => r.ResponseLocation, location)
                .SetProperty(r => r.UpdatedAt, now), ct);
    }

    /// <summary>Forgets the key (error response or exception), so the corrected request can be sent again.</summary>
    public Task AbandonAsync(Guid workspaceId, Guid recordId, CancellationToken ct) =>
        db.IdempotencyRecords.Where(r => r.WorkspaceId == workspaceId && r.Id == recordId && r.StatusCode == 0)
            .ExecuteDeleteAsync(ct);

    /// <summary>Removes expired rows of every workspace; returns how many.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    async Task<bool> TryInsertAsync(Guid workspaceId, Guid id, string key, string method, string path, string requestHash,
        DateTimeOffset now, CancellationToken ct)
    {
        // Raw SQL bypasses the model's value conversions, so give SQLite what EF stores there: upper-case Guid text, UTC ticks.
        var sqlite = !db.Database.IsNpgsql();
        object Id(Guid g) => sqlite ? g.ToString().ToUpperInvariant() : g;
        object At(DateTimeOffset t) => sqlite ? t.UtcTicks : t.ToUniversalTime();
        var expires = now + options.Value.Retention;
        return await db.Database.ExecuteSqlAsync($"""
            INSERT INTO idempotency_records (workspace_id, id, "key", method, path, request_hash, status_code, expires_at, created_at, updated_at)
            VALUES ({Id(workspaceId)}, {Id(id)}, {key}, {method}, {path}, {requestHash}, 0, {At(expires)}, {At(now)}, {At(now)})
            ON CONFLICT (workspace_id, "key") DO NOTHING
            """, ct) == 1;
    }

    Task<IdempotencyRecord?> FindAsync(Guid workspaceId, string key, CancellationToken ct) =>
        db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Key == key, ct);

    bool IsStale(IdempotencyRecord r, DateTimeOffset now) =>
        r.ExpiresAt <= now || (r.StatusCode == 0 && r.CreatedAt + options.Value.InProgressTimeout <= now);

    static IdempotencyClaim Judge(IdempotencyRecord r, string method, string path, string requestHash)
    {
        if (r.Method != method || r.Path != path || r.RequestHash != requestHash) return new IdempotencyClaim.Mismatch();
        return r.StatusCode == 0 ? new IdempotencyClaim.InProgress() : new IdempotencyClaim.Replay(r);
    }
}
