using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Hosting;

namespace Touchpoint.Bench;

/// <summary>
/// Webhook ingest throughput through the real host on loopback Kestrel: signed Twilio callbacks, each archived raw,
/// verified, deduplicated, normalized and applied in its own transaction (docs/benchmarks.md). Not BenchmarkDotNet:
/// the unit is requests per second of a whole HTTP pipeline against a real database.
/// <code>dotnet run -c Release --project bench/Touchpoint.Bench -- webhooks sqlite|postgres [connection] [requests] [concurrency] [status,inbound,mixed,unmatched]</code>
/// </summary>
static class WebhookIngestBenchmark
{
    const string AdminKey = "bench-admin-key-0123456789";
    const string PublicBaseUrl = "https://hooks.bench.test";
    const string AuthToken = "bench-twilio-token";

    public static async Task<int> RunAsync(string[] args)
    {
        var store = args.Length > 1 ? args[1] : "sqlite";
        var postgres = store.Equals("postgres", StringComparison.OrdinalIgnoreCase);
        var connection = args.Length > 2 && args[2] != "-" ? args[2]
            : postgres ? throw new ArgumentException("give a PostgreSQL connection string") : $"Data Source={Path.Combine(Path.GetTempPath(), $"tp-bench-{Guid.NewGuid():N}.db")}";
        var requests = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5000;
        var concurrency = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 16;
        var scenarios = args.Length > 5 ? args[5].Split(',') : ["status", "inbound"];

        string[] config =
        [
            "--urls=http://127.0.0.1:0", $"--Database:Provider={(postgres ? "Postgres" : "Sqlite")}",
            $"--ConnectionStrings:{(postgres ? "Postgres" : "Sqlite")}={connection}", $"--Touchpoint:AdminApiKey={AdminKey}",
            $"--Touchpoint:PublicBaseUrl={PublicBaseUrl}", "--Logging:LogLevel:Default=Warning", "--Touchpoint:Scheduler:Workers=0", "--Database:AutoMigrate=true",
            // All the load comes from one address: the per-address flood guard (5,000/s) would answer part of it 429.
            "--Touchpoint:RateLimiting:Webhooks:PermitLimit=10000000",
        ];
        await using var app = TouchpointWeb.Build(config);
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().PrepareAsync(CancellationToken.None);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = address };

        var workspaceId = await NewWorkspaceAsync(app, http);
        var warmup = Math.Max(1000, requests / 2);
        Console.WriteLine($"store={store} requests={requests} concurrency={concurrency} cores={Environment.ProcessorCount} warm-up={warmup} per scenario");
        foreach (var scenario in scenarios.Where(s => s is "status" or "mixed"))
        {
            await SeedSentMessagesAsync(app, workspaceId, scenario, "warmup", warmup);
            await SeedSentMessagesAsync(app, workspaceId, scenario, "run", requests);
        }
        // Warm both paths before measuring either: on a starved 2-core machine tier-1 JIT of the request path takes
        // a few thousand requests, and its CPU would otherwise be billed to the first measured scenario.
        foreach (var scenario in scenarios)
            await RunScenarioAsync(http, workspaceId, scenario, "warmup", warmup, concurrency);
        if (postgres)
        {
            // Statistics as autovacuum keeps them in a running system: tables that grew by thousands of rows within the last
            // minute have none yet, and the planner then reads a whole workspace's messages or deliveries per batch.
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TouchpointDb>().Database.ExecuteSqlRawAsync("ANALYZE");
        }
        foreach (var scenario in scenarios)
        {
            // CPU of the whole process (server + load generator) per request: meaningful on a shared machine, unlike req/s.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var (elapsed, failures) = await RunScenarioAsync(http, workspaceId, scenario, "run", requests, concurrency);
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            Console.WriteLine($"{scenario,-8} {requests} requests in {elapsed.TotalSeconds:F2} s = {requests / elapsed.TotalSeconds:F0} req/s, " +
                $"CPU {cpuMs / 1000:F1} s = {cpuMs / requests:F2} ms/request, non-200: {failures}");
        }
        await app.StopAsync();
        return 0;
    }

    static async Task<Guid> NewWorkspaceAsync(WebApplication app, HttpClient http)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/workspaces") { Content = JsonContent.Create(new { name = "bench", timezone = "UTC" }) };
        create.Headers.Authorization = new("Bearer", AdminKey);
        var created = await (await http.SendAsync(create)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        db.ProviderSettings.Add(new ProviderSetting
        {
            WorkspaceId = id, Channel = Channel.Voicemail, Provider = "twilio", SettingsJson = JsonSerializer.Serialize(new { authToken = AuthToken }),
        });
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>
    /// The messages the status callbacks report on, as Touchpoint would have sent them (status sent, Twilio's sid): one per
    /// request, so every callback advances its message (conditional UPDATE) besides recording the event.
    /// </summary>
    static async Task SeedSentMessagesAsync(WebApplication app, Guid workspaceId, string scenario, string phase, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var contact = new Contact { WorkspaceId = workspaceId, FirstName = "Bench", CreatedAt = now, UpdatedAt = now };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
        }
        foreach (var chunk in Enumerable.Range(0, count).Where(i => IsStatusRequest(scenario, i)).Chunk(2000))
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
            await db.InsertRowsAsync([.. chunk.Select(i => new OutboundMessage
            {
                WorkspaceId = workspaceId, ContactId = contact.Id, Channel = Channel.Sms, Provider = "twilio", ToAddress = "+14155550100",
                Body = "Hello from the bench", Purpose = WireName.Of(MessagePurpose.Marketing), Status = MessageStatus.Sent, SentAt = now,
                IdempotencyKey = $"bench:{phase}:{scenario}:{i}", ProviderMessageId = Sid(phase, scenario, i), CreatedAt = now, UpdatedAt = now,
            })], CancellationToken.None);
        }
    }

    /// <summary>mixed: one request in twenty is a reply — a campaign sending with a 10 % reply rate gets about two status
    /// callbacks (sent, delivered) per message and one reply per ten messages.</summary>
    static bool IsStatusRequest(string scenario, int i) => scenario switch
    {
        "status" or "unmatched" => true,
        "mixed" => i % 20 != 0,
        _ => false,
    };

    static string Sid(string phase, string scenario, int i) => $"SM{phase}{scenario}{i:D8}";

    /// <summary>status: delivery callbacks, each for its own message Touchpoint sent (archive + dedupe + message advanced + a
    /// message_events row); unmatched: the same for sids Touchpoint does not know (no message to advance; the figure of
    /// sessions 5–8); inbound: replies from a thousand senders (archive + dedupe + inbound row + contact match or creation +
    /// effects); mixed: status, with one request in twenty a reply.</summary>
    static async Task<(TimeSpan Elapsed, int Failures)> RunScenarioAsync(HttpClient http, Guid workspaceId, string scenario, string phase,
        int count, int concurrency)
    {
        var path = $"/webhooks/twilio/{workspaceId}";
        var next = -1;
        var failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var sid = Sid(phase, scenario, i);
                List<KeyValuePair<string, string>> form = IsStatusRequest(scenario, i)
                    ? [new("MessageSid", sid), new("MessageStatus", "delivered"), new("AccountSid", "AC1"), new("To", "+14155550100")]
                    : [new("MessageSid", sid), new("SmsStatus", "received"), new("From", $"+1415555{i % 1000:D4}"), new("To", "+14155550100"),
                       new("Body", "ok, thanks"), new("AccountSid", "AC1")];
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
                request.Headers.TryAddWithoutValidation(TwilioSignature.Header, TwilioSignature.Compute(AuthToken, PublicBaseUrl + path, form));
                using var response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    if (Interlocked.Increment(ref failures) == 1)
                        Console.WriteLine($"first non-200: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }));
        return (watch.Elapsed, failures);
    }
}
