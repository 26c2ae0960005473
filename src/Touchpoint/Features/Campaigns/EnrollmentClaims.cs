using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Campaigns;

/// <summary>An enrollment this worker claimed (its next_action_at now holds the worker's lease).</summary>
public sealed record ClaimedEnrollment(Guid WorkspaceId, Guid Id);

/// <summary>
/// Claims a batch of due enrollments in one statement (docs/decisions/0020-batched-touch-sweep.md): next_action_at moves to the lease end,
/// so other sweeps and per-enrollment jobs no longer see them as due. PostgreSQL picks the rows with
/// <c>FOR UPDATE SKIP LOCKED</c>, so concurrent workers claim disjoint batches without waiting; SQLite has one writer
/// per file, so the UPDATE itself serializes claimers (same statements, minus SKIP LOCKED, as the job store).
/// Instants are UTC ticks on SQLite, timestamptz on PostgreSQL; enums are wire names.
/// </summary>
public static class EnrollmentClaims
{
    static readonly string TerminalList = string.Join(", ",
        Enum.GetValues<EnrollmentState>().Where(EnrollmentStates.IsTerminal).Select(s => $"'{WireName.Of(s)}'"));
    static readonly string Active = WireName.Of(CampaignStatus.Active);

    public static Task<List<ClaimedEnrollment>> ClaimDueAsync(TouchpointDb db, DateTimeOffset now, DateTimeOffset leaseUntil, int limit,
        CancellationToken ct)
    {
        var due = $"""
            SELECT d.workspace_id, d.id FROM enrollments d
            JOIN campaigns c ON c.workspace_id = d.workspace_id AND c.id = d.campaign_id
            WHERE d.next_action_at <= @now AND {(db.Database.IsNpgsql() ? "NOT d.paused" : "d.paused = 0")}
              AND d.state NOT IN ({TerminalList}) AND c.status = '{Active}'
            ORDER BY d.next_action_at
            LIMIT {limit.ToString(CultureInfo.InvariantCulture)}
            """;
        if (db.Database.IsNpgsql())
        {
            var sql = $"""
                UPDATE enrollments AS e SET next_action_at = @lease
                FROM ({due.Replace("@now", "{0}", StringComparison.Ordinal)} FOR UPDATE OF d SKIP LOCKED) AS due
                WHERE e.workspace_id = due.workspace_id AND e.id = due.id
                RETURNING e.workspace_id AS "WorkspaceId", e.id AS "Id"
                """.Replace("@lease", "{1}", StringComparison.Ordinal);
            return db.Database.SqlQueryRaw<ClaimedEnrollment>(sql, now.ToUniversalTime(), leaseUntil.ToUniversalTime()).ToListAsync(ct);
        }
        var sqlite = $"""
            UPDATE enrollments SET next_action_at = {"{1}"}
            WHERE (workspace_id, id) IN ({due.Replace("@now", "{0}", StringComparison.Ordinal)})
            RETURNING workspace_id AS "WorkspaceId", id AS "Id"
            """;
        return db.Database.SqlQueryRaw<ClaimedEnrollment>(sqlite, now.UtcTicks, leaseUntil.UtcTicks).ToListAsync(ct);
    }
}
