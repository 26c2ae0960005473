using Microsoft.Extensions.Options;

namespace Touchpoint.Jobs;

/// <summary>
/// Every job kind and recurring schedule, listed explicitly (no discovery). A feature adds its line here:
/// <c>services.AddJobHandler&lt;SendMessageJob&gt;(SendMessageJob.Kind)</c>, then enqueues through
/// <see cref="IJobStore.EnqueueAsync"/> with that kind.
/// </summary>
public static class JobHandlers
{
    public static IServiceCollection AddJobQueue(this IServiceCollection services, IConfiguration config,
        Hosting.DatabaseSettings database)
    {
        services.AddOptions<SchedulerOptions>().Bind(config.GetSection(SchedulerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidation>();
        services.AddSingleton<JobWakeup>();
        services.AddSingleton<JobWakeupInterceptor>();
        services.AddSingleton<IJobStore>(sp =>
        {
            var maxAttempts = sp.GetRequiredService<IOptions<SchedulerOptions>>().Value.MaxAttempts;
            var wakeup = sp.GetRequiredService<JobWakeup>();
            return database.Provider == Data.DatabaseProvider.Postgres
                ? new PostgresJobStore(database.ConnectionString, maxAttempts, wakeup)
                : new SqliteJobStore(database.ConnectionString, maxAttempts, wakeup);
        });
        if (database.Provider == Data.DatabaseProvider.Postgres)
            services.AddSingleton(sp => new PostgresJobListener(database.ConnectionString,
                sp.GetRequiredService<JobWakeup>(), sp.GetRequiredService<ILogger<PostgresJobListener>>()));
        services.AddSingleton<JobRunner>();
        services.AddSingleton<Features.Admin.IDueWorkRunner>(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<RecurringSchedule>();
        services.AddHostedService<QueueWorkers>();

        services.AddJobHandler<HeartbeatJob>(HeartbeatJob.Kind);
        services.AddRecurringJob(new RecurringJob("heartbeat", "0 * * * *", HeartbeatJob.Kind));
        return services;
    }

    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string kind)
        where THandler : class, IJobHandler =>
        services.AddKeyedScoped<IJobHandler, THandler>(kind);

    /// <summary>Also lets the runner hand the kind's claimed jobs to <typeparamref name="THandler"/> as a batch.</summary>
    public static IServiceCollection AddBatchJobHandler<THandler>(this IServiceCollection services, string kind)
        where THandler : class, IBatchJobHandler =>
        services.AddKeyedScoped<IBatchJobHandler, THandler>(kind);

    public static IServiceCollection AddRecurringJob(this IServiceCollection services, RecurringJob job) =>
        services.AddSingleton(job);
}
