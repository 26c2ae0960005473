using Microsoft.Data.Sqlite;
using Npgsql;

namespace Touchpoint.Data;

/// <summary>
/// Recognises a unique-index violation on either store, wherever it sits in the exception chain (EF wraps it in
/// <c>DbUpdateException</c>; raw commands and COPY throw it directly). Callers that race on a first insert
/// catch it and re-read: the other writer's row is now there to update or report.
/// </summary>
public static class UniqueViolation
{
    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY (extended result codes).
    const int SqliteUnique = 2067, SqlitePrimaryKey = 1555;

    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }) return true;
            if (e is SqliteException { SqliteExtendedErrorCode: SqliteUnique or SqlitePrimaryKey }) return true;
        }
        return false;
    }
}
