using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Providers;

namespace Touchpoint.Tests.Providers;

/// <summary>
/// The adapters as the host registers them (typed clients, resilience pipeline), without a database: adapter
/// tests talk to fake servers only.
/// </summary>
public sealed class ProviderAdapterHost : IAsyncDisposable
{
    readonly ServiceProvider services;
    readonly AsyncServiceScope scope;

    public ProviderAdapterHost()
    {
        var collection = new ServiceCollection();
        collection.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        collection.AddSingleton(TimeProvider.System);
        collection.AddMessageProviders();
        services = collection.BuildServiceProvider();
        scope = services.CreateAsyncScope();
    }

    public IMessageProvider Provider(string name) => scope.ServiceProvider.GetRequiredKeyedService<IMessageProvider>(name);

    public static ProviderAccount Account(string provider, Channel channel, object settings, object secrets) =>
        new(provider, channel, (JsonObject)JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(settings))!,
            (JsonObject)JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(secrets))!);

    public static ProviderSendRequest Request(Channel channel, string to, string body, string? from = null, string? subject = null,
        string? templateKey = null, JsonObject? variables = null, string? statusCallbackUrl = null, string? unsubscribeUrl = null,
        DateTimeOffset? lastInboundAt = null, DateTimeOffset now = default) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), "send:" + Guid.NewGuid().ToString("N"), Guid.CreateVersion7(), channel, to, from,
            subject, body, TemplateKey: templateKey, Variables: variables, StatusCallbackUrl: statusCallbackUrl,
            UnsubscribeUrl: unsubscribeUrl, LastInboundAt: lastInboundAt, Now: now);

    public async ValueTask DisposeAsync()
    {
        await scope.DisposeAsync();
        await services.DisposeAsync();
    }
}
