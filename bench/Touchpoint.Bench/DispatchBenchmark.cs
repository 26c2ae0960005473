using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Touchpoint.Bench.Queue;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Admin;
using Touchpoint.Features.Messaging;
using Touchpoint.Features.Providers;
using Touchpoint.Hosting;
using Touchpoint.Jobs;

namespace Touchpoint.Bench;

/// <summary>
/// docs/benchmarks.md "End-to-end dispatch": N opted-in contacts each get one imessage send through the real
/// submission path (<see cref="MessageSubmission"/>: policy, render, outbox row + <c>message.dispatch</c> job in one
/// transaction). Then — the timed part — the real <see cref="JobRunner"/> claim loops drain the jobs through
/// <see cref="MessageDispatcher"/> (policy re-check, render, rate limits with every scope unlimited, sending lease,
/// the generic signed HTTP provider) to a loopback fake gateway in this process, until every message is <c>sent</c>.
/// The claimed jobs of the one workspace take the batch path (docs/decisions/0021-batch-dispatch.md).
/// The gateway counts arrivals per idempotency key: a run is only valid when each message arrived exactly once.
/// </summary>
public static class DispatchBenchmark
{
    static readonly string Secret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("dispatch-bench-secret-0123456789abcdef"));

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        int Int(string name, string fallback) => int.Parse(Arg(name, fallback), CultureInfo.InvariantCulture);
        var store = Arg("--store", "postgres");
        var messages = Int("--messages", "20000");
        var loops = Int("--workers", "4");
        var batch = Int("--batch", "100");
        // A long-running worker is warm: the first thousands of dispatches pay for tiered JIT (13% of a cold 20k run's
        // CPU under perf), so a warm-up round is sent and drained first, untimed.
        var warmup = Int("--warmup", "10000");

        await using var gateway = await FakeGateway.StartAsync();
        BenchPostgres? pg = null;
        var sqliteFile = Path.Combine(Path.GetTempPath(), $"touchpoint-dispatch-{Guid.NewGuid():N}.db");
        string connection;
        if (store == "postgres")
        {
            pg = await BenchPostgres.StartAsync(args.Contains("--pg") ? Arg("--pg", "") : null);
            connection = await pg.CreateTouchpointAsync();
            Console.WriteLine($"PostgreSQL: {pg.Description}");
        }
        else
        {
            connection = $"Data Source={sqliteFile}";
        }
        var provider = store == "postgres" ? "Postgres" : "Sqlite";
        var app = TouchpointWeb.Build([
            $"--Database:Provider={provider}", $"--ConnectionStrings:{provider}={connection}", "--Database:AutoMigrate=true",
            "--Clock:Mode=Manual", "--Clock:Start=2026-04-07T14:00:00Z", "--Touchpoint:Scheduler:Workers=0",
            $"--Touchpoint:Scheduler:ClaimBatch={batch}", "--Logging:LogLevel:Default=Warning",
            // The fake has no carrier limits: no scope is limited, no bucket is configured, so no send can wait on one.
            "--Touchpoint:RateLimits:Sender:RatePerSecond=0",
        ]);
        try
        {
            await using (var scope = app.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().PrepareAsync(CancellationToken.None);
            var workspaceId = await SetUpAsync(app.Services, gateway.Url, warmup + messages);
            var runner = app.Services.GetRequiredService<JobRunner>();
            if (warmup > 0)
            {
                await SubmitAsync(app.Services, workspaceId, 0, warmup);
                await DrainAsync(runner, gateway, warmup, loops);
                Console.WriteLine(FormattableString.Invariant($"warm-up: {warmup:N0} messages submitted and dispatched (untimed)"));
            }
            var submitTime = await SubmitAsync(app.Services, workspaceId, warmup, messages);
            Console.WriteLine(FormattableString.Invariant(
                $"store={store} messages={messages:N0} submitted in {submitTime.TotalSeconds:F1} s = {messages / submitTime.TotalSeconds:N0}/s; draining with {loops} claim loop(s), batch {batch}"));

            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            await DrainAsync(runner, gateway, warmup + messages, loops);
            var elapsed = Stopwatch.GetElapsedTime(started);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;

            await using var check = app.Services.CreateAsyncScope();
            var db = check.ServiceProvider.GetRequiredService<TouchpointDb>();
            var statuses = await db.OutboundMessages.IgnoreQueryFilters().GroupBy(m => m.Status)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            var sent = statuses.Where(s => s.Key == MessageStatus.Sent).Sum(s => s.Count) - warmup;
            var jobsLeft = await db.ScheduledActions.IgnoreQueryFilters()
                .CountAsync(a => a.Kind == MessageDispatcher.Kind && a.Status != JobStatus.Succeeded);
            var exactlyOnce = gateway.PostsByKey.Count == warmup + messages && gateway.PostsByKey.Values.All(n => n == 1);
            Console.WriteLine(FormattableString.Invariant(
                $"dispatch: {sent:N0} sent of {messages:N0} in {elapsed.TotalSeconds:F2} s = {sent / elapsed.TotalSeconds:N0} messages/s; process CPU {cpu.TotalSeconds:F1} s = {cpu.TotalMilliseconds / messages:F2} ms/message (Touchpoint + fake gateway, not the database server)"));
            Console.WriteLine($"statuses: {string.Join(", ", statuses.Select(s => $"{WireName.Of(s.Key)}={s.Count}"))}; dispatch jobs not succeeded: {jobsLeft}; " +
                $"gateway: {gateway.Posts} posts, {gateway.PostsByKey.Count} distinct keys, exactly once: {exactlyOnce}");
            return sent == messages && exactlyOnce && jobsLeft == 0 ? 0 : 1;
        }
        finally
        {
            await app.DisposeAsync();
            if (pg is not null)
            {
                await pg.DropAsync(connection);
                await pg.DisposeAsync();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" }) if (File.Exists(f)) File.Delete(f);
        }
    }

    /// <summary>
    /// The real <see cref="JobRunner"/> claim loops until the gateway has <paramref name="expectedPosts"/> messages and
    /// nothing is due (a loop still inside its last batch finishes it first), or after ~5 s without work (then the
    /// run's checks fail). Like QueueWorkers: a batch's completion rides on the loop's next claim.
    /// </summary>
    static Task DrainAsync(JobRunner runner, FakeGateway gateway, long expectedPosts, int loops) =>
        Task.WhenAll(Enumerable.Range(0, loops).Select(n => Task.Run(async () =>
        {
            var owed = new FinishedJobs();
            try
            {
                for (var empty = 0; empty < 250;)
                {
                    if (await runner.RunBatchAsync($"bench-{n}", owed, CancellationToken.None) > 0) { empty = 0; continue; }
                    if (gateway.Posts >= expectedPosts) return;
                    empty++;
                    await Task.Delay(20);
                }
            }
            finally
            {
                await runner.CompleteAsync(owed);
            }
        })));

    /// <summary>A workspace whose imessage channel goes through the <c>http</c> provider to the gateway, and N opted-in contacts.</summary>
    static async Task<Guid> SetUpAsync(IServiceProvider services, string gatewayUrl, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var workspace = await sp.GetRequiredService<WorkspaceProvisioning>().CreateAsync("dispatch-bench", "Europe/London", "GB", CancellationToken.None);
        sp.GetRequiredService<WorkspaceScope>().Enter(workspace.Id);
        var (view, errors) = await sp.GetRequiredService<ProviderSettingsService>().PutAsync(workspace.Id, Channel.Imessage,
            new PutProviderRequest("http", new JsonObject { ["baseUrl"] = gatewayUrl, ["webhookSecret"] = Secret }), CancellationToken.None);
        if (view is null) throw new InvalidOperationException($"provider settings rejected: {JsonSerializer.Serialize(errors)}");

        var db = sp.GetRequiredService<TouchpointDb>();
        var now = DateTimeOffset.Parse("2026-04-07T14:00:00Z", CultureInfo.InvariantCulture);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var start = 0; start < count; start += 5000)
        {
            for (var i = start; i < Math.Min(count, start + 5000); i++)
            {
                // UK mobiles: no US legal calling window applies.
                var contact = new Contact { WorkspaceId = workspace.Id, FirstName = $"D{i}", CreatedAt = now, UpdatedAt = now };
                db.Contacts.Add(contact);
                db.ContactChannels.Add(new ContactChannel
                {
                    WorkspaceId = workspace.Id, ContactId = contact.Id, Kind = Channel.Imessage, Value = $"+447{700000000 + i}",
                    IsPrimary = true, CreatedAt = now, UpdatedAt = now,
                });
                db.Consents.Add(new Consent
                {
                    WorkspaceId = workspace.Id, ContactId = contact.Id, Channel = Channel.Imessage, Status = ConsentStatus.OptIn,
                    Source = "bench", CapturedAt = now.AddDays(-30), CreatedAt = now, UpdatedAt = now,
                });
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        return workspace.Id;
    }

    /// <summary>One <see cref="MessageSubmission.SubmitAsync"/> per contact (its own scope, as an API request has), 4 at a time.</summary>
    static async Task<TimeSpan> SubmitAsync(IServiceProvider services, Guid workspaceId, int first, int count)
    {
        List<Guid> contacts;
        await using (var scope = services.CreateAsyncScope())
            contacts = await scope.ServiceProvider.GetRequiredService<TouchpointDb>().Contacts.IgnoreQueryFilters()
                .Where(c => c.WorkspaceId == workspaceId).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
            var outcome = await scope.ServiceProvider.GetRequiredService<MessageSubmission>().SubmitAsync(new SendCommand(
                workspaceId, contacts[i], Channel.Imessage, MessagePurpose.Marketing, $"api:dispatch-bench-{i}",
                Body: "Hi {{ contact.firstName }}, your order has shipped."), recordRenderFailure: false, ct);
            if (outcome.Message?.Status != MessageStatus.Queued)
                throw new InvalidOperationException($"send {i} was not queued: {outcome.Status} {outcome.Message?.Status} {outcome.Message?.ErrorCode}");
        });
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The generic signed HTTP provider's gateway (docs/providers.md): counts every POST by idempotency key.</summary>
    sealed class FakeGateway : IAsyncDisposable
    {
        readonly WebApplication app;
        long posts;

        FakeGateway(WebApplication app, string url) { this.app = app; Url = url; }

        public string Url { get; }
        public ConcurrentDictionary<string, int> PostsByKey { get; } = new(StringComparer.Ordinal);
        public long Posts => Interlocked.Read(ref posts);

        public static async Task<FakeGateway> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            FakeGateway? gateway = null;
            app.MapPost("/messages", (HttpRequest request) => gateway!.ReceiveAsync(request));
            app.MapGet("/messages/by-key/{key}", (string key) => gateway!.PostsByKey.ContainsKey(key)
                ? Results.Json(new { id = "gw-" + key, status = "sent" }) : Results.NotFound());
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            gateway = new FakeGateway(app, address.TrimEnd('/'));
            return gateway;
        }

        async Task<IResult> ReceiveAsync(HttpRequest request)
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var key = body.RootElement.GetProperty("idempotencyKey").GetString()!;
            var seen = PostsByKey.AddOrUpdate(key, 1, (_, n) => n + 1);
            Interlocked.Increment(ref posts);
            return Results.Json(new { id = "gw-" + key, status = "sent" }, statusCode: seen == 1 ? 200 : 409);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
