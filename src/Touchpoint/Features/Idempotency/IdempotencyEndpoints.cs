using Microsoft.Extensions.Options;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Idempotency;

/// <summary>Marks an endpoint as honouring <c>Idempotency-Key</c>.</summary>
public sealed class IdempotentEndpoint
{
    public static readonly IdempotentEndpoint Instance = new();
}

public static class IdempotencyEndpoints
{
    /// <summary>
    /// Replays the stored response for a repeated <c>Idempotency-Key</c> (see <see cref="IdempotencyFilter"/>).
    /// Use on create/send endpoints: <c>g.MapPost("/", Create).WithIdempotency()</c>.
    /// </summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(IdempotentEndpoint.Instance).AddEndpointFilter<IdempotencyFilter>();

    /// <summary>
    /// Buffers the body of requests that carry an Idempotency-Key to an idempotent endpoint, so the filter can
    /// hash the raw bytes after parameter binding has read them. Must run after routing, before the endpoint.
    /// </summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.Request.Headers.ContainsKey(IdempotencyFilter.Header)
                && http.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpoint>() is not null)
                http.Request.EnableBuffering();
            return next(http);
        });

    public static IServiceCollection AddIdempotency(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<IdempotencyOptions>().Bind(config.GetSection(IdempotencyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdempotencyOptions>, IdempotencyOptionsValidation>();
        services.AddScoped<IdempotencyService>();
        services.AddJobHandler<IdempotencyPurgeJob>(IdempotencyPurgeJob.Kind);
        services.AddRecurringJob(new RecurringJob("idempotency-purge", "17 * * * *", IdempotencyPurgeJob.Kind));
        return services;
    }
}

/// <summary>Hourly: drops expired idempotency records of every workspace (a system job).</summary>
public sealed class IdempotencyPurgeJob(IdempotencyService ledger) : IJobHandler
{
    public const string Kind = "idempotency.purge";

    public Task HandleAsync(ClaimedJob job, CancellationToken ct) => ledger.PurgeExpiredAsync(ct);
}
