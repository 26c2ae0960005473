using Touchpoint.Jobs;

namespace Touchpoint.Features.Messaging;

public static class MessagingServices
{
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        services.AddScoped<MessageSubmission>();
        services.AddJobHandler<MessageDispatcher>(MessageDispatcher.Kind);
        services.AddBatchJobHandler<MessageDispatcher>(MessageDispatcher.Kind);
        return services;
    }
}
