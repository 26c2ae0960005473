using Microsoft.EntityFrameworkCore;

namespace Touchpoint.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>One place that points a <see cref="TouchpointDb"/> at a store and its provider's migration set.</summary>
public static class TouchpointDbOptions
{
    public const string SqliteMigrations = "Touchpoint.Migrations.Sqlite";
    public const string PostgresMigrations = "Touchpoint.Migrations.Postgres";

    public static DbContextOptionsBuilder Configure(
        DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrations))
                .AddInterceptors(SqliteBusyTimeout.Instance),
            DatabaseProvider.Postgres => options.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrations)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };

    public static TouchpointDb Create(DatabaseProvider provider, string connectionString, WorkspaceScope? scope = null) =>
        new(((DbContextOptionsBuilder<TouchpointDb>)Configure(new DbContextOptionsBuilder<TouchpointDb>(), provider, connectionString)).Options,
            scope ?? new WorkspaceScope());
}
