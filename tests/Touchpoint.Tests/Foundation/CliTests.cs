using Microsoft.EntityFrameworkCore;
using Touchpoint.Cli;
using Touchpoint.Data;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Foundation;

public sealed class CliTests(PostgresCluster pg)
{
    static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await TouchpointCli.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    static string[] StoreArgs(Store store, string connectionString) =>
        [$"--Database:Provider={store}", $"--ConnectionStrings:{store}={connectionString}"];

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Migrate_then_verify_succeed_on_an_empty_database(Store store)
    {
        var (connectionString, _) = await TouchpointApp.DatabaseFor(store, pg, migrated: false);
        var migrate = await Run(["migrate", .. StoreArgs(store, connectionString)]);
        Assert.True(migrate.Code == 0, migrate.Err);
        var verify = await Run(["db", "verify", .. StoreArgs(store, connectionString)]);
        Assert.True(verify.Code == 0, verify.Err);
        Assert.Contains("schema verified", verify.Out, StringComparison.Ordinal);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Db_verify_fails_naming_a_dropped_index(Store store)
    {
        var (connectionString, _) = await TouchpointApp.DatabaseFor(store, pg, migrated: false);
        Assert.Equal(0, (await Run(["migrate", .. StoreArgs(store, connectionString)])).Code);
        await using (var db = TouchpointDbOptions.Create(store == Store.Postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, connectionString))
            await db.Database.ExecuteSqlRawAsync("DROP INDEX ux_consents_workspace_id_contact_id_channel", TestContext.Current.CancellationToken);

        var verify = await Run(["db", "verify", .. StoreArgs(store, connectionString)]);
        Assert.Equal(1, verify.Code);
        Assert.Contains("missing index ux_consents_workspace_id_contact_id_channel on consents", verify.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_to_zero_removes_the_schema_and_verify_says_so()
    {
        var (connectionString, _) = await TouchpointApp.DatabaseFor(Store.Sqlite, pg, migrated: false);
        Assert.Equal(0, (await Run(["migrate", .. StoreArgs(Store.Sqlite, connectionString)])).Code);
        var down = await Run(["migrate", "--to", "0", .. StoreArgs(Store.Sqlite, connectionString)]);
        Assert.True(down.Code == 0, down.Err);
        Assert.Contains("no migration", down.Out, StringComparison.Ordinal);
        var verify = await Run(["db", "verify", .. StoreArgs(Store.Sqlite, connectionString)]);
        Assert.Equal(1, verify.Code);
        Assert.Contains("missing table contacts", verify.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Database:Provider=Oracle", "Database:Provider 'Oracle' is unknown")]
    [InlineData("--Database:Provider=Postgres", "ConnectionStrings:Postgres is empty")]
    [InlineData("--ConnectionStrings:Sqlite=Data Sauce=x.db", "ConnectionStrings:Sqlite is not a valid connection string")]
    [InlineData("--Clock:Mode=Sundial", "Clock:Mode 'Sundial' is unknown")]
    public async Task Invalid_configuration_stops_start_up_with_one_clear_line(string setting, string expected)
    {
        var (code, _, err) = await Run("serve", setting, "--urls=http://127.0.0.1:0");
        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_refuses_a_postgres_database_with_pending_migrations()
    {
        var connectionString = await pg.CreateEmptyDatabaseAsync();
        var (code, _, err) = await Run(["serve", "--urls=http://127.0.0.1:0", .. StoreArgs(Store.Postgres, connectionString)]);
        Assert.Equal(2, code);
        Assert.Contains("pending migration", err, StringComparison.Ordinal);
        Assert.Contains("touchpoint migrate", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_postgres_is_reported_in_one_line()
    {
        var (code, _, err) = await Run("db", "verify", "--Database:Provider=Postgres",
            "--ConnectionStrings:Postgres=Host=127.0.0.1;Port=1;Username=x;Timeout=2");
        Assert.Equal(1, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot use the database", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workspace_create_prints_a_key_that_is_stored_hashed()
    {
        var (connectionString, _) = await TouchpointApp.DatabaseFor(Store.Sqlite, pg, migrated: false);
        Assert.Equal(0, (await Run(["migrate", .. StoreArgs(Store.Sqlite, connectionString)])).Code);
        var (code, output, err) = await Run(["workspace", "create", "--name", "Acme", "--timezone", "America/Chicago", .. StoreArgs(Store.Sqlite, connectionString)]);
        Assert.True(code == 0, err);
        var key = output.Split(' ', '\n').Single(w => w.StartsWith("tp_", StringComparison.Ordinal)).Trim();
        await using var db = TouchpointDbOptions.Create(DatabaseProvider.Sqlite, connectionString);
        Assert.True(await db.ApiKeys.AnyAsync(k => k.Hash == Auth.ApiKeys.Hash(key), TestContext.Current.CancellationToken));
        Assert.Equal(2, (await Run(["workspace", "create", "--name", "Bad", "--timezone", "Nowhere/Land", .. StoreArgs(Store.Sqlite, connectionString)])).Code);
    }
}
