using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Messaging;

/// <summary>
/// What the multi-process tests share: an API-only host (no workers) on its own PostgreSQL database, a workspace
/// whose imessage channel goes through the <c>http</c> provider to a <see cref="RecordingGateway"/>, opted-in
/// contacts, queued sends, and real <c>touchpoint worker</c> processes on the same database.
/// </summary>
static class MultiWorkerKit
{
    public const int Contacts = 50;
    static readonly string Secret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("multi-worker-secret-0123456789abcdef"));
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<TouchpointApp> StartApiOnlyAsync(PostgresCluster pg) =>
        TouchpointApp.StartAsync(Store.Postgres, pg, settings: new Dictionary<string, string> { ["Touchpoint:Scheduler:Workers"] = "0" });

    /// <summary>imessage → the gateway; <paramref name="from"/> is the sender bucket's key (null: no sender bucket).</summary>
    public static async Task ConfigureGatewayAsync(WorkspaceClient ws, RecordingGateway gateway, string? from)
    {
        var settings = new Dictionary<string, string> { ["baseUrl"] = gateway.Url, ["webhookSecret"] = Secret };
        if (from is not null) settings["from"] = from;
        (await ws.Http.PutAsJsonAsync("/api/v1/providers/imessage", new { provider = "http", settings }, Ct)).EnsureSuccessStatusCode();
    }

    /// <summary>Queues <paramref name="count"/> sends (keys <c>api:{prefix}-{i}</c>) over <see cref="Contacts"/> opted-in contacts.</summary>
    public static async Task<HashSet<string>> QueueSendsAsync(WorkspaceClient ws, int count, string prefix) =>
        await SubmitAsync(ws, await CreateContactsAsync(ws, Contacts), count, prefix);

    /// <summary>Contacts with an imessage address and an imessage opt-in.</summary>
    public static async Task<List<Guid>> CreateContactsAsync(WorkspaceClient ws, int count)
    {
        // UK mobiles: no US legal calling window, so the workers' real clock may send at any hour.
        var contacts = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            var created = await (await ws.Http.PostAsJsonAsync("/api/v1/contacts", new
            {
                firstName = $"Worker{i}", channels = new[] { new { kind = "imessage", value = $"+44791112{i:D4}" } },
            }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
            var id = created.GetProperty("id").GetGuid();
            (await ws.PutConsentAsync(id, "imessage", "opt_in")).EnsureSuccessStatusCode();
            contacts.Add(id);
        }
        return contacts;
    }

    /// <summary>Submits <paramref name="count"/> sends round-robin over <paramref name="contacts"/>; returns their outbox keys.</summary>
    public static async Task<HashSet<string>> SubmitAsync(WorkspaceClient ws, List<Guid> contacts, int count, string prefix)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct },
            async (i, ct) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages")
                {
                    Content = JsonContent.Create(new { contactId = contacts[i % contacts.Count], channel = "imessage", body = $"{prefix} {i}" }),
                };
                request.Headers.Add("Idempotency-Key", $"{prefix}-{i}");
                using var response = await ws.Http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                Assert.True(response.StatusCode == HttpStatusCode.Accepted && text.Contains("\"status\":\"queued\"", StringComparison.Ordinal),
                    $"send {i} was not queued: {(int)response.StatusCode} {text}");
            });
        return [.. Enumerable.Range(0, count).Select(i => $"api:{prefix}-{i}")];
    }

    public static WorkerProcess StartWorker(TouchpointApp app, string name) => WorkerProcess.Start(name,
    [
        "--workers", "2",
        "--urls=http://127.0.0.1:0",
        "--Database:Provider=Postgres",
        $"--ConnectionStrings:Postgres={app.ConnectionString}",
        "--Logging:LogLevel:Default=Warning",
        // A short lease so a dead worker's claims come back within seconds; fast ticks and retries to match.
        "--Touchpoint:Scheduler:Lease=00:00:05",
        "--Touchpoint:Scheduler:TickInterval=00:00:01",
        "--Touchpoint:Scheduler:IdlePoll=00:00:00.200",
        "--Touchpoint:Scheduler:RetryBase=00:00:01",
        "--Touchpoint:Scheduler:RetryCap=00:00:02",
    ]);

    /// <summary>Polls until <paramref name="done"/>; fails with the workers' output on timeout or when a live worker exits.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> done, TimeSpan timeout, Func<string> why, IReadOnlyList<WorkerProcess> workers)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline || workers.Any(w => w.HasExited && !w.WasKilled))
                Assert.Fail($"{why()}\n{string.Join('\n', workers.Select(w => w.Describe()))}");
            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct);
        }
    }

    /// <summary>Messages no longer queued, scheduled or sending.</summary>
    public static async Task<int> FinishedMessagesAsync(TouchpointApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        return await db.OutboundMessages.IgnoreQueryFilters()
            .CountAsync(m => m.Status != MessageStatus.Queued && m.Status != MessageStatus.Sending && m.Status != MessageStatus.Scheduled, Ct);
    }

    /// <summary>Fails naming every key the gateway received more than once, with that message's status history and jobs.</summary>
    public static async Task AssertNoRepeatedSendAsync(TouchpointApp app, RecordingGateway gateway)
    {
        var repeated = gateway.PostsByKey.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToList();
        if (repeated.Count == 0) return;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        var report = new StringBuilder($"the gateway received {repeated.Count} key(s) more than once:");
        foreach (var key in repeated.Take(5))
        {
            var message = await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking().SingleAsync(m => m.IdempotencyKey == key, Ct);
            var events = await db.MessageEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.MessageId == message.Id)
                .OrderBy(e => e.OccurredAt).Select(e => new { e.Status, e.OccurredAt, e.ErrorCode }).ToListAsync(Ct);
            var jobs = await db.ScheduledActions.IgnoreQueryFilters().AsNoTracking()
                .Where(a => a.Kind == "message.dispatch" && a.IdempotencyKey.StartsWith($"dispatch:{message.Id}"))
                .Select(a => new { a.IdempotencyKey, a.Status, a.Attempts, a.RunAt, a.LockedBy, a.LastError }).ToListAsync(Ct);
            report.Append($"\n{key} ×{gateway.PostsByKey[key]} now {WireName.Of(message.Status)}; events: ")
                .Append(string.Join(", ", events.Select(e => $"{(e.Status is { } st ? WireName.Of(st) : "-")}@{e.OccurredAt:HH:mm:ss.fff}{e.ErrorCode}")))
                .Append("; jobs: ")
                .Append(string.Join(" | ", jobs.Select(j => $"{j.IdempotencyKey} {WireName.Of(j.Status)} attempts={j.Attempts} run={j.RunAt:HH:mm:ss.fff} by={j.LockedBy} err={j.LastError}")));
        }
        Assert.Fail(report.ToString());
    }

    public static string StatusCounts(TouchpointApp app)
    {
        // Synchronous on purpose: it runs inside failure messages.
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        return string.Join(", ", db.OutboundMessages.IgnoreQueryFilters().GroupBy(m => m.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToList().Select(g => $"{WireName.Of(g.Key)}={g.Count}"));
    }
}

/// <summary>
/// A real <c>touchpoint worker</c> process (the host dll the test project copies next to itself), started with
/// <c>dotnet</c>. Output is kept (last lines) for failure messages; the process is killed on dispose.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    const int KeptLines = 80;
    readonly Process process;
    readonly ConcurrentQueue<string> output = new();

    WorkerProcess(string name, Process process) { Name = name; this.process = process; }

    public string Name { get; }
    public bool HasExited => process.HasExited;
    /// <summary>Killed on purpose by the test (its exit is expected).</summary>
    public bool WasKilled { get; private set; }

    public static WorkerProcess Start(string name, IEnumerable<string> args)
    {
        var dll = typeof(Touchpoint.Hosting.TouchpointWeb).Assembly.Location;
        // DOTNET_HOST_PATH is set by the dotnet CLI that launched the tests; otherwise dotnet is on PATH.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("worker");
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = new Process { StartInfo = start };
        var worker = new WorkerProcess(name, process);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    void Keep(string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        while (output.Count > KeptLines) output.TryDequeue(out _);
    }

    /// <summary>SIGKILL on Linux: no shutdown hook runs, leases stay as they were.</summary>
    public void Kill()
    {
        if (process.HasExited) return;
        WasKilled = true;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    public string Describe() =>
        $"--- {Name} ({(process.HasExited ? $"exited {process.ExitCode}" : "running")}) ---\n{string.Join('\n', output)}";

    public void Dispose()
    {
        try { Kill(); }
        catch (InvalidOperationException) { } // never started
        process.Dispose();
    }
}
