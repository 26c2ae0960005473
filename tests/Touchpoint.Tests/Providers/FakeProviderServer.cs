using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Touchpoint.Tests.Providers;

/// <summary>What a fake provider received, byte for byte.</summary>
public sealed record RecordedRequest(string Method, string Path, Dictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
    public Dictionary<string, string> Form => QueryHelpers.ParseQuery(Text).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

public sealed record FakeResponse(int Status, string? Body = null, IDictionary<string, string>? Headers = null);

/// <summary>An in-process HTTP server on a loopback port that records every request and answers as told.</summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    readonly WebApplication app;

    FakeProviderServer(WebApplication app, Uri baseUrl) { this.app = app; BaseUrl = baseUrl; }

    public Uri BaseUrl { get; }
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public Func<RecordedRequest, FakeResponse> Respond { get; set; } = _ => new FakeResponse(200, "{}");
    /// <summary>When set, answers instead of <see cref="Respond"/>: a fake that does something (a callback) before it answers.</summary>
    public Func<RecordedRequest, Task<FakeResponse>>? RespondAsync { get; set; }

    public string Url => BaseUrl.ToString().TrimEnd('/');

    public static async Task<FakeProviderServer> StartAsync(Func<RecordedRequest, FakeResponse>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeProviderServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeProviderServer(app, new Uri(address));
        if (respond is not null) server.Respond = respond;
        return server;
    }

    async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        // The raw target, as sent: escaping is part of the wire format under test.
        var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
        var recorded = new RecordedRequest(context.Request.Method, target,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), buffer.ToArray());
        Requests.Enqueue(recorded);
        var answer = RespondAsync is { } respondAsync ? await respondAsync(recorded) : Respond(recorded);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        }
    }

    public RecordedRequest Single() => Assert.Single(Requests);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
