using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Touchpoint.Tests.Messaging;

/// <summary>
/// A loopback gateway speaking the generic signed HTTP provider's wire format (docs/providers.md): it counts every
/// <c>POST /messages</c> by idempotency key, stamps each arrival, and answers <c>GET /messages/by-key/{key}</c>
/// from what it received, like a real gateway with idempotency. It records before it answers, so a worker
/// killed while waiting for the answer leaves a message the gateway has but Touchpoint does not know it sent.
/// </summary>
public sealed class RecordingGateway : IAsyncDisposable
{
    readonly WebApplication app;
    long posts;
    long lookups;

    RecordingGateway(WebApplication app, string url) { this.app = app; Url = url; }

    public string Url { get; }
    /// <summary>POSTs per idempotency key: the at-most-once evidence.</summary>
    public ConcurrentDictionary<string, int> PostsByKey { get; } = new(StringComparer.Ordinal);
    /// <summary>Idempotency key and <see cref="Stopwatch.GetTimestamp"/> of every POST, for rate windows.</summary>
    public ConcurrentQueue<(string Key, long Timestamp)> Arrivals { get; } = new();
    public long Posts => Interlocked.Read(ref posts);
    public long Lookups => Interlocked.Read(ref lookups);
    /// <summary>How long a POST is held after it was recorded, widening the "provider has it, Touchpoint does not know" window.</summary>
    public TimeSpan AnswerDelay { get; set; }

    public static async Task<RecordingGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        RecordingGateway? gateway = null;
        app.MapPost("/messages", (HttpRequest request) => gateway!.ReceiveAsync(request));
        app.MapGet("/messages/by-key/{key}", (string key) => gateway!.Lookup(key));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        gateway = new RecordingGateway(app, address.TrimEnd('/'));
        return gateway;
    }

    async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        var key = body.RootElement.GetProperty("idempotencyKey").GetString()!;
        var seen = PostsByKey.AddOrUpdate(key, 1, (_, n) => n + 1);
        Arrivals.Enqueue((key, Stopwatch.GetTimestamp()));
        Interlocked.Increment(ref posts);
        if (AnswerDelay > TimeSpan.Zero) await Task.Delay(AnswerDelay);
        // A repeat is answered like a real idempotent gateway (409 + the id), but it was still a second send.
        return seen == 1
            ? Results.Json(new { id = IdFor(key), status = "sent" })
            : Results.Json(new { id = IdFor(key), status = "sent" }, statusCode: StatusCodes.Status409Conflict);
    }

    IResult Lookup(string key)
    {
        Interlocked.Increment(ref lookups);
        return PostsByKey.ContainsKey(key) ? Results.Json(new { id = IdFor(key), status = "sent" }) : Results.NotFound();
    }

    public static string IdFor(string key) => "gw-" + key;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
