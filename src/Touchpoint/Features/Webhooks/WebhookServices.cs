using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Touchpoint.Features.Webhooks;

public static class WebhookServices
{
    /// <summary>Registers the webhook pipeline. <see cref="IInboundEffects"/> is registered with TryAdd so the
    /// consent/suppression feature can register its own implementation instead of the timeline-only default.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookTenantCache>();
        services.AddSingleton<WebhookIngestBatcher>();
        services.AddScoped<WebhookArchive>();
        services.AddScoped<WebhookSecrets>();
        services.AddScoped<WebhookEventApplier>();
        services.AddScoped<WebhookProcessor>();
        services.AddScoped<WebhookReceiver>();
        services.TryAddScoped<IInboundEffects, TimelineInboundEffects>();
        return services;
    }
}
