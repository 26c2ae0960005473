using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Features.Admin;
using Touchpoint.Features.Demo;
using Touchpoint.Hosting;

namespace Touchpoint.Cli;

/// <summary>
/// <c>touchpoint seed-demo [--workspace &lt;id&gt;]</c> and <c>touchpoint --demo</c>: fill a workspace with demo data
/// (<see cref="DemoSeeder"/>). Without <c>--workspace</c> it uses (or creates) the workspace named "Demo" and prints a
/// fresh API key for it, so a newcomer can sign in to the dashboard at once. Running it again adds nothing twice.
/// </summary>
static class SeedDemoCommand
{
    public const string DemoFlag = "--demo";
    public const string DemoWorkspaceName = "Demo";

    public static Command SeedDemo(TextWriter stdout)
    {
        var workspace = new Option<Guid?>("--workspace") { Description = "Workspace to fill (default: the workspace named Demo, created when missing)." };
        var command = new Command("seed-demo", "Fill a workspace with realistic demo data (idempotent).") { TreatUnmatchedTokensAsErrors = false };
        command.Options.Add(workspace);
        command.SetAction(async (r, ct) =>
        {
            await using var app = TouchpointWeb.Build([.. r.UnmatchedTokens]);
            await using (var scope = app.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().PrepareAsync(ct);
            await RunAsync(app.Services, r.GetValue(workspace), stdout, ct);
            return 0;
        });
        return command;
    }

    public static async Task RunAsync(IServiceProvider services, Guid? workspaceId, TextWriter stdout, CancellationToken ct)
    {
        Guid id;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
            if (workspaceId is { } given)
            {
                if (!await db.Workspaces.IgnoreQueryFilters().AnyAsync(w => w.Id == given, ct))
                    throw new ConfigurationException($"--workspace {given} does not exist.");
                id = given;
            }
            else id = await DemoWorkspaceAsync(scope.ServiceProvider, db, stdout, ct);
        }
        await using (var scope = services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(id, ct);
            stdout.WriteLine(DemoSeeder.Describe(result));
        }
    }

    static async Task<Guid> DemoWorkspaceAsync(IServiceProvider services, TouchpointDb db, TextWriter stdout, CancellationToken ct)
    {
        var existing = await db.Workspaces.IgnoreQueryFilters().Where(w => w.Name == DemoWorkspaceName)
            .OrderBy(w => w.CreatedAt).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(ct);
        if (existing is null)
        {
            var created = await services.GetRequiredService<WorkspaceProvisioning>().CreateAsync(DemoWorkspaceName, "America/New_York", "US", ct);
            stdout.WriteLine($"Created the Demo workspace {created.Id}. Sign in to the dashboard with this API key (shown only once): {created.ApiKey}");
            return created.Id;
        }
        // Keys are stored hashed, so the first one cannot be shown again: issue another for this sign-in.
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var (key, prefix, hash) = ApiKeys.Generate();
        db.ApiKeys.Add(new ApiKey { WorkspaceId = existing.Value, Name = "demo sign-in", Prefix = prefix, Hash = hash, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync(ct);
        stdout.WriteLine($"Demo workspace {existing} exists. A new API key to sign in with (shown only once): {key}");
        return existing.Value;
    }
}
