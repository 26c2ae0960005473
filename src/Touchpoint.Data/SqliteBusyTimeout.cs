using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Touchpoint.Data;

/// <summary>
/// Lets SQLite itself wait for the write lock (<c>PRAGMA busy_timeout</c>, fine-grained sleeps) instead of returning
/// SQLITE_BUSY at once: Microsoft.Data.Sqlite's own retry then sleeps 150 ms per attempt, which under a dozen
/// concurrent writers (webhook ingest) left most requests asleep. The pragma is per connection, so it runs on open.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    const string Pragma = "PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Run(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        // A pragma on a local file never blocks: the synchronous call is cheaper than an async state machine.
        Run(connection);
        return Task.CompletedTask;
    }

    static void Run(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }
}
