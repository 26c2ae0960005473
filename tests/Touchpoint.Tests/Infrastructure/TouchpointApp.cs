using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Touchpoint.Data;
using Touchpoint.Hosting;

namespace Touchpoint.Tests.Infrastructure;

public enum Store { Sqlite, Postgres }

/// <summary>The real host on a loopback port, over its own database, driven black-box through HTTP.</summary>
public sealed class TouchpointApp : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";
    readonly WebApplication app;
    readonly string? sqliteFile;

    TouchpointApp(WebApplication app, Uri address, string connectionString, Store store, string? sqliteFile)
    {
        this.app = app;
        this.sqliteFile = sqliteFile;
        Address = address;
        ConnectionString = connectionString;
        Store = store;
        Admin = Client(AdminKey);
        Anonymous = Client(null);
    }

    public Uri Address { get; }
    public string ConnectionString { get; }
    public Store Store { get; }
    public HttpClient Admin { get; }
    public HttpClient Anonymous { get; }
    public IServiceProvider Services => app.Services;
    public DatabaseProvider Provider => Store == Store.Postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    public static async Task<TouchpointApp> StartAsync(Store store, PostgresCluster pg, string? clockAt = null,
        IDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var (connectionString, file) = await DatabaseFor(store, pg);
        var config = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Database:Provider"] = store.ToString(),
            [$"ConnectionStrings:{store}"] = connectionString,
            ["Touchpoint:AdminApiKey"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
        };
        if (clockAt is not null) { config["Clock:Mode"] = "Manual"; config["Clock:Start"] = clockAt; }
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) config[k] = v;

        var app = TouchpointWeb.Build([.. config.Select(kv => $"--{kv.Key}={kv.Value}")], configure);
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().PrepareAsync(CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TouchpointApp(app, new Uri(address), connectionString, store, file);
    }

    public static async Task<(string ConnectionString, string? File)> DatabaseFor(Store store, PostgresCluster pg, bool migrated = true)
    {
        if (store == Store.Postgres)
            return (migrated ? await pg.CreateMigratedDatabaseAsync() : await pg.CreateEmptyDatabaseAsync(), null);
        var file = Path.Combine(Path.GetTempPath(), $"touchpoint-test-{Guid.NewGuid():N}.db");
        return ($"Data Source={file}", file);
    }

    public HttpClient Client(string? bearer)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public async Task<WorkspaceClient> NewWorkspaceAsync(string timezone = "America/New_York", string? region = null)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/admin/workspaces",
            new { name = $"ws-{Guid.NewGuid():N}"[..12], timezone, defaultRegion = region });
        response.EnsureSuccessStatusCode();
        var created = (await response.Content.ReadFromJsonAsync<CreatedWorkspaceDto>())!;
        return new WorkspaceClient(created.Id, created.ApiKey, Client(created.ApiKey));
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Anonymous.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        if (sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" })
                if (File.Exists(f)) File.Delete(f);
        }
    }

    sealed record CreatedWorkspaceDto(Guid Id, string ApiKey);
}

public sealed record WorkspaceClient(Guid Id, string ApiKey, HttpClient Http);
