using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Touchpoint.Data;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Foundation;

public sealed class MigrationTests(PostgresCluster pg)
{
    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Migrations_go_up_down_to_zero_and_up_again_leaving_a_verified_schema(Store store)
    {
        var (connectionString, _) = await TouchpointApp.DatabaseFor(store, pg, migrated: false);
        var provider = store == Store.Postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        await using var db = TouchpointDbOptions.Create(provider, connectionString);
        var migrator = db.GetInfrastructure().GetRequiredService<IMigrator>();
        var ct = TestContext.Current.CancellationToken;

        await migrator.MigrateAsync(cancellationToken: ct);
        Assert.Empty(await new SchemaVerifier(db).FindProblemsAsync(ct));

        await migrator.MigrateAsync(Migration.InitialDatabase, cancellationToken: ct);
        Assert.Empty(await db.Database.GetAppliedMigrationsAsync(ct));
        var problems = await new SchemaVerifier(db).FindProblemsAsync(ct);
        Assert.Contains("missing table contacts", problems);
        Assert.Contains("missing table memory_events", problems);

        await migrator.MigrateAsync(cancellationToken: ct);
        Assert.Empty(await new SchemaVerifier(db).FindProblemsAsync(ct));
    }

    [Fact]
    public async Task Postgres_rolls_back_only_the_storage_extras_with_migrate_to()
    {
        var connectionString = await pg.CreateMigratedDatabaseAsync();
        await using var db = TouchpointDbOptions.Create(DatabaseProvider.Postgres, connectionString);
        var migrations = db.Database.GetMigrations().ToList();
        var ct = TestContext.Current.CancellationToken;

        await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync(migrations[0], cancellationToken: ct);
        var problems = await new SchemaVerifier(db).FindProblemsAsync(ct);
        Assert.Contains(problems, p => p.StartsWith("pending migrations", StringComparison.Ordinal));
        Assert.Contains("table memory_events is not partitioned by month", problems);
        Assert.Contains("missing index ix_scheduled_actions_ready", problems);
        Assert.DoesNotContain("missing table memory_events", problems);
    }
}
