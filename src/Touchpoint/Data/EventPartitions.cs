using Microsoft.EntityFrameworkCore;

namespace Touchpoint.Data;

/// <summary>Creates future monthly partitions of the event tables (PostgreSQL) through the migration's SQL function.</summary>
public static class EventPartitions
{
    public static readonly string[] Tables = ["memory_events", "message_events"];

    public static async Task<int> EnsureAsync(TouchpointDb db, int months, CancellationToken ct)
    {
        var created = 0;
        foreach (var table in Tables)
            created += await db.Database
                .SqlQuery<int>($"SELECT touchpoint_ensure_month_partitions({table}, current_date, {months}) AS \"Value\"")
                .SingleAsync(ct);
        return created;
    }
}
