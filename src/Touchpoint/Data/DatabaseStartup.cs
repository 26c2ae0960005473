using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Features.Admin;
using Touchpoint.Hosting;

namespace Touchpoint.Data;

/// <summary>What `serve` does to its store before listening: migrate or refuse, and seed the embedded default.</summary>
public sealed class DatabaseStartup(TouchpointDb db, DatabaseSettings settings, WorkspaceProvisioning provisioning)
{
    public async Task<CreatedWorkspace?> PrepareAsync(CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            if (!settings.AutoMigrate)
                throw new ConfigurationException(
                    $"{settings.Describe()} has {pending.Count} pending migration(s) ({string.Join(", ", pending)}); " +
                    "run `touchpoint migrate` or set Database:AutoMigrate=true.");
            await db.Database.MigrateAsync(ct);
        }
        if (settings.Provider == DatabaseProvider.Sqlite) await UseWriteAheadLogAsync(ct);

        // The embedded default gets a workspace on first run so `dotnet run` is immediately usable.
        if (settings.Provider == DatabaseProvider.Sqlite && !await db.Workspaces.AnyAsync(ct))
            return await provisioning.CreateAsync("Default", "UTC", "US", ct);
        return null;
    }

    // WAL lets the dashboard read while workers write; it is a property of the file, so set it once here.
    async Task UseWriteAheadLogAsync(CancellationToken ct)
    {
        if (new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource == ":memory:") return;
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}
