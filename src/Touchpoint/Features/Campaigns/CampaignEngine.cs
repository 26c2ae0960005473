using Microsoft.Extensions.Options;
using Touchpoint.Features.Messaging;
using Touchpoint.Features.Webhooks;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Campaigns;

/// <summary>Registers the campaign engine: orchestrator, its jobs and recurring ticks, lead brain, simulation.</summary>
public static class CampaignEngine
{
    public static IServiceCollection AddCampaignEngine(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<CampaignEngineOptions>().Bind(config.GetSection(CampaignEngineOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CampaignEngineOptions>, CampaignEngineOptionsValidation>();
        var options = config.GetSection(CampaignEngineOptions.Section).Get<CampaignEngineOptions>() ?? new CampaignEngineOptions();

        services.AddSingleton<PlanCache>();
        services.AddScoped<TouchOrchestrator>();
        services.AddScoped<IMessageOutcomeListener>(sp => sp.GetRequiredService<TouchOrchestrator>());
        services.AddScoped<IMessageEventListener>(sp => sp.GetRequiredService<TouchOrchestrator>());
        services.AddScoped<CampaignStats>();
        services.AddScoped<EnrollmentStateChanges>();
        services.AddScoped<CampaignSimulation>();
        services.AddScoped<Reactivation>();
        services.AddScoped<Leads.NextActionLoader>();

        services.AddJobHandler<TouchTick>(TouchTick.Kind);
        services.AddJobHandler<TouchRunJob>(TouchRunJob.Kind);
        services.AddJobHandler<ReactivationJob>(ReactivationJob.Kind);
        // Invalid cron text is reported by the options validation above rather than crashing registration.
        if (CronOrNull(options.TickCron) is { } tick) services.AddRecurringJob(new RecurringJob("campaign-touch-tick", tick, TouchTick.Kind));
        if (CronOrNull(options.ReactivationCron) is { } reactivation)
            services.AddRecurringJob(new RecurringJob("campaign-reactivation", reactivation, ReactivationJob.Kind));
        return services;
    }

    static string? CronOrNull(string cron)
    {
        try { _ = Cronos.CronExpression.Parse(cron); return cron; }
        catch (Cronos.CronFormatException) { return null; }
    }
}
