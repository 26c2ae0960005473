using Microsoft.Extensions.Options;
using Touchpoint.Features.Crm.Agents;
using Touchpoint.Features.Crm.Automation;
using Touchpoint.Features.Crm.Boards;
using Touchpoint.Features.Crm.Conversations;
using Touchpoint.Features.Crm.Strategies;
using Touchpoint.Features.Crm.Tags;
using Touchpoint.Features.Webhooks;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Crm;

public static class CrmServices
{
    /// <summary>The CRM kanban: services, the inbox listener, the dispatcher job and the automation tick.</summary>
    public static IServiceCollection AddCrm(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<CrmOptions>().Bind(config.GetSection(CrmOptions.Section));
        services.AddScoped<BoardService>();
        services.AddScoped<ConversationService>();
        services.AddScoped<ConversationMemory>();
        services.AddScoped<ConversationDispatcher>();
        services.AddScoped<TagService>();
        services.AddScoped<StrategyService>();
        services.AddScoped<AgentToolbox>();
        services.AddScoped<AgentRunner>();
        services.AddSingleton<ChatClientFactory>();
        services.AddSingleton<AgentApiKeys>();
        services.AddSingleton<AutomationEngine>();
        services.AddScoped<IInboundMessageListener, ConversationInbox>();
        services.AddJobHandler<ConversationDispatchJob>(ConversationDispatchJob.Kind);
        services.AddJobHandler<AutomationTickJob>(AutomationTickJob.Kind);
        var tick = config.GetSection(CrmOptions.Section)[nameof(CrmOptions.AutomationTickCron)] ?? new CrmOptions().AutomationTickCron;
        services.AddRecurringJob(new RecurringJob("crm-automation", tick, AutomationTickJob.Kind));
        return services;
    }

    public static void MapCrmApi(this IEndpointRouteBuilder v1)
    {
        v1.MapBoardsApi();
        v1.MapConversationsApi();
        v1.MapAgentsApi();
        v1.MapTagsApi();
        v1.MapAutomationApi();
        v1.MapStrategiesApi();
    }
}
