using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Touchpoint.Data;

[assembly: AssemblyFixture(typeof(Touchpoint.Tests.Infrastructure.PostgresCluster))]

namespace Touchpoint.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the whole test run: <c>TOUCHPOINT_TEST_POSTGRES</c> when set, otherwise a throwaway
/// cluster started with initdb/pg_ctl (as the postgres user when running as root) on a free port.
/// A template database is migrated once; every test gets its own copy.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    const string Template = "touchpoint_template";
    readonly SemaphoreSlim createGate = new(1, 1);
    string? clusterDir;
    string? pgCtl;

    public string ServerConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("TOUCHPOINT_TEST_POSTGRES");
        ServerConnectionString = string.IsNullOrWhiteSpace(external) ? await StartClusterAsync() : external;
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            await Execute(admin, $"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
            await Execute(admin, $"CREATE DATABASE {Template}");
        }
        await using (var db = TouchpointDbOptions.Create(DatabaseProvider.Postgres, ConnectionStringFor(Template)))
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(db.Database);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>An empty database with no schema, for migration tests.</summary>
    public Task<string> CreateEmptyDatabaseAsync() => CreateDatabaseAsync(template: "template0");

    /// <summary>A migrated database of its own for one test.</summary>
    public Task<string> CreateMigratedDatabaseAsync() => CreateDatabaseAsync(Template);

    async Task<string> CreateDatabaseAsync(string template)
    {
        var name = $"tp_{Guid.NewGuid():N}";
        await createGate.WaitAsync();
        try
        {
            await using var admin = new NpgsqlConnection(ServerConnectionString);
            await admin.OpenAsync();
            await Execute(admin, $"CREATE DATABASE {name} TEMPLATE {template}");
        }
        finally
        {
            createGate.Release();
        }
        return ConnectionStringFor(name);
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true }.ConnectionString;

    static async Task Execute(NpgsqlConnection c, string sql)
    {
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }

    async Task<string> StartClusterAsync()
    {
        var bin = FindPostgresBin() ?? throw new InvalidOperationException(
            "PostgreSQL is required by the integration tests but initdb/pg_ctl were not found on PATH or under " +
            "/usr/lib/postgresql/*/bin. Install PostgreSQL (e.g. `apt-get install -y postgresql`) or set " +
            "TOUCHPOINT_TEST_POSTGRES to a connection string of a server the tests may create databases on.");
        pgCtl = Path.Combine(bin, "pg_ctl");
        clusterDir = Path.Combine(Path.GetTempPath(), $"touchpoint-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(clusterDir);
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["-R", "postgres", clusterDir], asPostgres: false);

        var data = Path.Combine(clusterDir, "data");
        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asRoot);
        var serverOptions = $"-p {port} -k {clusterDir} -c listen_addresses=127.0.0.1 -c fsync=off " +
                            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=800";
        await RunAsync(pgCtl, ["-D", data, "-l", Path.Combine(clusterDir, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"], asRoot);
        // Every test app has its own database and two pools on it (EF's and the queue's); idle connections of apps
        // that are gone are closed within seconds instead of holding server slots for Npgsql's default 5 minutes.
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=30;Command Timeout=120;" +
               "Connection Idle Lifetime=10;Connection Pruning Interval=5";
    }

    static string? FindPostgresBin()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))) return dir;
        var lib = "/usr/lib/postgresql";
        return Directory.Exists(lib)
            ? Directory.GetDirectories(lib).OrderDescending().Select(d => Path.Combine(d, "bin"))
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // PostgreSQL refuses to run as root, so as root every server command runs as the postgres user.
    static async Task RunAsync(string file, string[] args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (asPostgres) { start.ArgumentList.Add("-u"); start.ArgumentList.Add("postgres"); start.ArgumentList.Add("--"); start.ArgumentList.Add(file); }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (clusterDir is null || pgCtl is null) return;
        try
        {
            await RunAsync(pgCtl, ["-D", Path.Combine(clusterDir, "data"), "-m", "immediate", "-w", "stop"], Environment.UserName == "root");
        }
        finally
        {
            Directory.Delete(clusterDir, recursive: true);
        }
    }
}
