using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Touchpoint.Tests.Crm;

/// <summary>
/// A loopback OpenAI-compatible server (<c>POST /v1/chat/completions</c>, non-streaming): answers with scripted
/// completions in order and keeps every request body, so tests see exactly what the agent sent.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<object> script = new();

    public ConcurrentQueue<JsonElement> Requests { get; } = new();
    /// <summary>The Authorization header of every request, in order (the key the agent decrypted and sent).</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();
    public string Endpoint { get; private set; } = "";

    FakeChatServer(WebApplication app) => this.app = app;

    public static async Task<FakeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeChatServer(app);
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var body = await JsonDocument.ParseAsync(http.Request.Body);
            server.Authorizations.Enqueue(http.Request.Headers.Authorization.ToString());
            server.Requests.Enqueue(body.RootElement.Clone());
            var next = server.script.TryDequeue(out var s) ? s : Text("Sure.\nconfidence: 0.9");
            return Results.Json(next);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = address + "/v1";
        return server;
    }

    public void Then(object completion) => script.Enqueue(completion);

    /// <summary>The system prompt of the last request (what the agent knew).</summary>
    public string LastSystemPrompt() =>
        Requests.Last().GetProperty("messages").EnumerateArray().First(m => m.GetProperty("role").GetString() == "system")
            .GetProperty("content").GetString()!;

    public static object Text(string content) => Completion(new { role = "assistant", content }, "stop");

    public static object ToolCall(string name, object arguments, string id = "call_1") => Completion(new
    {
        role = "assistant",
        content = (string?)null,
        tool_calls = new[] { new { id, type = "function", function = new { name, arguments = JsonSerializer.Serialize(arguments) } } },
    }, "tool_calls");

    static object Completion(object message, string finish) => new
    {
        id = "chatcmpl-" + Guid.NewGuid().ToString("N"), @object = "chat.completion", created = 1773165600, model = "fake-model",
        choices = new[] { new { index = 0, message, finish_reason = finish } },
        usage = new { prompt_tokens = 1, completion_tokens = 1, total_tokens = 2 },
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
