using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Touchpoint.Data;

/// <summary>
/// A save that lost a race with another writer of the same rows (docs/decisions/0026-stale-write-detection.md): an
/// enrollment or conversation whose concurrency token moved since it was read, or a conversation message that took a
/// sequence number another append already holds (the unique index can fire before the conversation's own check).
/// Nothing of the save was stored; the work is to be redone on fresh reads.
/// </summary>
public static class WriteConflict
{
    /// <summary>How often a writer that keeps losing tries in all before the conflict is its failure.</summary>
    public const int MaxAttempts = 3;

    const string SequenceIndex = "ux_conversation_messages_workspace_id_conversation_id_sequence";
    const int SqliteConstraint = 19;

    /// <summary>
    /// Runs <paramref name="work"/> — which reads what it needs and saves — again on fresh reads when its save lost such a
    /// race, up to <see cref="MaxAttempts"/> times in all; the last conflict propagates. Nothing of a lost attempt was
    /// stored, and what it left tracked is forgotten before the next.
    /// </summary>
    public static async Task<T> RedoOnConflictAsync<T>(DbContext db, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && Is(e))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public static bool Is(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: SequenceIndex } } => true,
        DbUpdateException { InnerException: SqliteException { SqliteErrorCode: SqliteConstraint } s } =>
            s.Message.Contains("conversation_messages.sequence", StringComparison.Ordinal),
        _ => false,
    };
}
