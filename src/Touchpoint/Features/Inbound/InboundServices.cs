using Touchpoint.Features.Webhooks;

namespace Touchpoint.Features.Inbound;

public static class InboundServices
{
    /// <summary>The real inbound effects; call before <c>AddWebhooks</c> so its timeline-only default (TryAdd) stays out.</summary>
    public static IServiceCollection AddInbound(this IServiceCollection services)
    {
        services.AddDataProtection();
        services.AddSingleton<UnsubscribeLinks>();
        services.AddScoped<OneClickUnsubscribe>();
        services.AddScoped<TimelineInboundEffects>();
        services.AddScoped<UnknownSenders>();
        services.AddScoped<OptOutRecorder>();
        services.AddScoped<OptInRecorder>();
        services.AddScoped<KeywordReplies>();
        services.AddScoped<ReviewQueue>();
        services.AddScoped<IInboundEffects, InboundEffects>();
        return services;
    }
}
