using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Jobs;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Jobs;

/// <summary>A fresh migrated database of either store with a job store over it, for store-level conformance tests.</summary>
public sealed class QueueDatabase : IAsyncDisposable
{
    public const int DefaultMaxAttempts = 3;
    readonly string? sqliteFile;

    QueueDatabase(Store store, string connectionString, string? sqliteFile)
    {
        Store = store;
        ConnectionString = connectionString;
        this.sqliteFile = sqliteFile;
        Jobs = NewStore();
    }

    public Store Store { get; }
    public string ConnectionString { get; }
    public IJobStore Jobs { get; }
    public DatabaseProvider Provider => Store == Store.Postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    public static async Task<QueueDatabase> CreateAsync(Store store, PostgresCluster pg)
    {
        var (cs, file) = await TouchpointApp.DatabaseFor(store, pg);
        if (store == Store.Sqlite)
        {
            cs = $"{cs};Pooling=True;Default Timeout=30";
            await using var db = TouchpointDbOptions.Create(DatabaseProvider.Sqlite, cs);
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        return new QueueDatabase(store, cs, file);
    }

    /// <summary>Another store instance: its own connections, as a second worker process would have.</summary>
    public IJobStore NewStore() => Store == Store.Postgres
        ? new PostgresJobStore(ConnectionString, DefaultMaxAttempts)
        : new SqliteJobStore(ConnectionString, DefaultMaxAttempts);

    public async Task<ScheduledAction> RowAsync(Guid id)
    {
        await using var db = TouchpointDbOptions.Create(Provider, ConnectionString);
        return await db.ScheduledActions.AsNoTracking().SingleAsync(j => j.Id == id);
    }

    public async Task<int> CountAsync(string idempotencyKey)
    {
        await using var db = TouchpointDbOptions.Create(Provider, ConnectionString);
        return await db.ScheduledActions.CountAsync(j => j.IdempotencyKey == idempotencyKey);
    }

    public ValueTask DisposeAsync()
    {
        if (sqliteFile is null) return ValueTask.CompletedTask;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" })
            if (File.Exists(f)) File.Delete(f);
        return ValueTask.CompletedTask;
    }
}
