using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Touchpoint.Data;

namespace Touchpoint.Bench.Queue;

/// <summary>
/// The PostgreSQL server every system runs against: a connection string, or a throwaway cluster started with
/// initdb/pg_ctl as the tests do. Hands out a fresh database per run and reads commit counts.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    const string TouchpointTemplate = "tp_bench_template";
    string? clusterDir;
    string? pgCtl;
    bool templateReady;

    public string ServerConnectionString { get; private set; } = "";
    public string Description { get; private set; } = "";

    public static async Task<BenchPostgres> StartAsync(string? connectionString)
    {
        var pg = new BenchPostgres();
        pg.ServerConnectionString = connectionString ?? await pg.StartClusterAsync();
        await using var c = new NpgsqlConnection(pg.ServerConnectionString);
        await c.OpenAsync();
        await using var v = new NpgsqlCommand("SELECT version(), current_setting('fsync'), current_setting('synchronous_commit')", c);
        await using var r = await v.ExecuteReaderAsync();
        await r.ReadAsync();
        pg.Description = $"{r.GetString(0).Split(" on ")[0]} (fsync={r.GetString(1)}, synchronous_commit={r.GetString(2)})";
        return pg;
    }

    public string For(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true, MaxPoolSize = 200 }.ConnectionString;

    /// <summary>A fresh empty database.</summary>
    public async Task<string> CreateEmptyAsync(string prefix) => For(await CreateAsync(prefix, "template0"));

    /// <summary>A fresh database with Touchpoint's migrations applied (copied from a template migrated once).</summary>
    public async Task<string> CreateTouchpointAsync()
    {
        if (!templateReady)
        {
            await ExecAsync(ServerConnectionString, $"DROP DATABASE IF EXISTS {TouchpointTemplate} WITH (FORCE)");
            await ExecAsync(ServerConnectionString, $"CREATE DATABASE {TouchpointTemplate}");
            await using (var db = TouchpointDbOptions.Create(DatabaseProvider.Postgres, For(TouchpointTemplate)))
                await db.Database.MigrateAsync();
            NpgsqlConnection.ClearAllPools();
            templateReady = true;
        }
        return For(await CreateAsync("tp", TouchpointTemplate));
    }

    async Task<string> CreateAsync(string prefix, string template)
    {
        var name = $"bench_{prefix}_{Guid.NewGuid():N}"[..40];
        await ExecAsync(ServerConnectionString, $"CREATE DATABASE {name} TEMPLATE {template}");
        return name;
    }

    public async Task DropAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await ExecAsync(ServerConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>
    /// Committed transactions of the database so far. Pools are closed first: a backend flushes its statistics
    /// when it exits, so the count includes every transaction the run made.
    /// </summary>
    public async Task<long> CommitsAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var c = new NpgsqlConnection(ServerConnectionString);
        await c.OpenAsync();
        for (var n = 0; n < 200; n++)
        {
            await using var others = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @d", c);
            others.Parameters.AddWithValue("d", name);
            if ((long)(await others.ExecuteScalarAsync())! == 0) break;
            await Task.Delay(25);
        }
        await using (var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", c)) await clear.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = @d", c);
        cmd.Parameters.AddWithValue("d", name);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task ExecAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }

    async Task<string> StartClusterAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("No PostgreSQL under /usr/lib/postgresql; pass --pg <connection string>.");
        pgCtl = Path.Combine(bin, "pg_ctl");
        clusterDir = Path.Combine(Path.GetTempPath(), $"touchpoint-bench-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(clusterDir);
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["-R", "postgres", clusterDir], false);
        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", Path.Combine(clusterDir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asRoot);
        // Same settings as the test cluster: the comparison is CPU and round trips, not this VM's disk.
        var options = $"-p {port} -k {clusterDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                      "-c full_page_writes=off -c max_connections=400 -c shared_buffers=256MB";
        await RunAsync(pgCtl, ["-D", Path.Combine(clusterDir, "data"), "-l", Path.Combine(clusterDir, "server.log"), "-o", options, "-w", "-t", "60", "start"], asRoot);
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=30;Command Timeout=600";
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    static async Task RunAsync(string file, string[] args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres) foreach (var a in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {await err}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (clusterDir is null || pgCtl is null) return;
        await RunAsync(pgCtl, ["-D", Path.Combine(clusterDir, "data"), "-m", "immediate", "-w", "stop"], Environment.UserName == "root");
        Directory.Delete(clusterDir, true);
    }
}
