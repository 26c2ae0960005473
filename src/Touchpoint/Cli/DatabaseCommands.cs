using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Touchpoint.Data;
using Touchpoint.Hosting;

namespace Touchpoint.Cli;

static class DatabaseCommands
{
    public static Command Migrate(TextWriter stdout)
    {
        var to = new Option<string?>("--to") { Description = "Migrate up or down to this migration (name or id); 0 removes everything." };
        var command = new Command("migrate", "Apply pending migrations, or move to the one given with --to.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(to);
        command.SetAction(async (r, ct) =>
        {
            var settings = DatabaseSettings.From(CliConfiguration.Build(r.UnmatchedTokens));
            await using var db = TouchpointDbOptions.Create(settings.Provider, settings.ConnectionString);
            var target = r.GetValue(to);
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync(target, ct);
            var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToList();
            stdout.WriteLine($"{settings.Describe()} is at {(applied.Count == 0 ? "no migration" : applied[^1])}.");
            return 0;
        });
        return command;
    }

    public static Command Db(TextWriter stdout, TextWriter stderr)
    {
        var verify = new Command("verify", "Check that the live schema has every table, column, index and trigger it should.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        verify.SetAction(async (r, ct) =>
        {
            var settings = DatabaseSettings.From(CliConfiguration.Build(r.UnmatchedTokens));
            await using var db = TouchpointDbOptions.Create(settings.Provider, settings.ConnectionString);
            var problems = await new SchemaVerifier(db).FindProblemsAsync(ct);
            foreach (var problem in problems) stderr.WriteLine($"touchpoint: schema: {problem}");
            if (problems.Count > 0) return 1;
            stdout.WriteLine($"{settings.Describe()}: schema verified.");
            return 0;
        });
        var partitions = new Command("partitions", "Create monthly partitions of the event tables ahead of time (PostgreSQL).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var months = new Option<int>("--months") { Description = "How many months from this one.", DefaultValueFactory = _ => 12 };
        partitions.Options.Add(months);
        partitions.SetAction(async (r, ct) =>
        {
            var settings = DatabaseSettings.From(CliConfiguration.Build(r.UnmatchedTokens));
            if (settings.Provider != DatabaseProvider.Postgres)
                return TouchpointCli.Fail(stderr, "partitions exist only on PostgreSQL.", 2);
            await using var db = TouchpointDbOptions.Create(settings.Provider, settings.ConnectionString);
            var created = await EventPartitions.EnsureAsync(db, r.GetValue(months), ct);
            stdout.WriteLine($"Created {created} partition(s).");
            return 0;
        });
        return new Command("db", "Database maintenance.") { verify, partitions };
    }
}
