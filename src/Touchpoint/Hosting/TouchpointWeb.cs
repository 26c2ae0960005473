using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Touchpoint.Auth;
using Touchpoint.Dashboard;
using Touchpoint.Data;
using Touchpoint.Features.Admin;
using Touchpoint.Features.WorkspaceKeys;
using Touchpoint.Features.Audit;
using Touchpoint.Features.Attestations;
using Touchpoint.Features.Campaigns;
using Touchpoint.Features.Commands;
using Touchpoint.Features.Consent;
using Touchpoint.Features.Contacts;
using Touchpoint.Features.Contacts.Import;
using Touchpoint.Features.Crm;
using Touchpoint.Features.Health;
using Touchpoint.Features.Inbound;
using Touchpoint.Features.Idempotency;
using Touchpoint.Features.Jobs;
using Touchpoint.Features.Leads;
using Touchpoint.Features.Messaging;
using Touchpoint.Features.Policy;
using Touchpoint.Features.Providers;
using Touchpoint.Features.RateLimits;
using Touchpoint.Features.Suppressions;
using Touchpoint.Features.Webhooks;
using Touchpoint.Features.Workspaces;
using Touchpoint.Jobs;
using Touchpoint.Providers;
using Touchpoint.Time;

namespace Touchpoint.Hosting;

/// <summary>Builds the HTTP host: services, middleware and every feature's endpoints, in reading order.</summary>
public static class TouchpointWeb
{
    public const long JsonBodyLimit = 1024 * 1024;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        var database = DatabaseSettings.From(builder.Configuration);
        var clock = ClockOptions.From(builder.Configuration);
        var forwarded = ForwardedHeadersSettings.From(builder.Configuration);
        AddServices(builder, database, clock);
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded.Apply);

        var app = builder.Build();
        if (forwarded.Enabled) app.UseForwardedHeaders(); // first: everything after sees the client's address
        UsePipeline(app);
        return app;
    }

    static void AddServices(WebApplicationBuilder builder, DatabaseSettings database, ClockOptions clock)
    {
        var services = builder.Services;
        services.AddSingleton(database);
        services.AddSingleton<TimeProvider>(clock.IsManual
            ? new ManualClock(clock.Start ?? TimeProvider.System.GetUtcNow())
            : TimeProvider.System);
        services.AddScoped<WorkspaceScope>();
        // Options built once, not per context: building them was a few percent of a webhook request's CPU.
        services.AddDbContext<TouchpointDb>((sp, o) => TouchpointDbOptions.Configure(o, database.Provider, database.ConnectionString)
            .AddInterceptors(sp.GetRequiredService<JobWakeupInterceptor>()), ServiceLifetime.Scoped, ServiceLifetime.Singleton);

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = JsonBodyLimit);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Detail ??= ProblemDetail.For(c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode));
        services.AddExceptionHandler<ProblemResponses>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.RespectNullableAnnotations = false;
        });
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddDashboardCookie();
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthentication.AdminPolicy, p => p.RequireRole(ApiKeyAuthentication.AdminRole))
            .AddPolicy(ApiKeyAuthentication.WorkspacePolicy, p => p.RequireClaim(ApiKeyAuthentication.WorkspaceClaim));

        services.AddScoped<WorkspaceProvisioning>();
        services.AddScoped<DatabaseStartup>();
        services.AddScoped<ContactService>();
        services.AddScoped<PolicyRequestBuilder>();
        services.AddScoped<PolicyGate>();
        services.AddScoped<CampaignService>();
        services.AddScoped<EnrollmentService>();
        services.AddScoped<EnrollmentSignals>();
        services.AddScoped<ContactUpdateService>();
        services.AddScoped<ContactTimeline>();
        services.AddScoped<ContactImporter>();
        services.AddScoped<ConsentService>();
        services.AddScoped<SuppressionService>();
        services.AddHttpContextAccessor();
        services.AddScoped<AuditLog>();
        services.AddScoped<CommandTargets>();
        services.AddScoped<CommandQueries>();
        services.AddScoped<SystemStatusQuery>();
        services.AddScoped<CommandExecutor>();
        services.AddSingleton<CommandInterpreter>();
        services.AddScoped<CommandService>();
        services.AddTouchpointRateLimits();
        services.AddScoped<ProviderSettingsService>();
        services.AddJobQueue(builder.Configuration, database);
        services.AddInbound(); // before AddWebhooks: replaces its timeline-only IInboundEffects
        services.AddIdempotency(builder.Configuration);
        services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<RateLimitOptions>, RateLimitOptionsValidation>();
        services.AddSingleton<SendRateLimiter>();
        services.AddWebhooks();
        services.AddMessageProviders();
        services.AddMessaging();
        services.AddScoped<JobRedrive>();
        services.AddDashboard();
        services.AddScoped<Features.Demo.DemoSeeder>();
        services.AddCrm(builder.Configuration);
        services.AddCampaignEngine(builder.Configuration);
    }

    static void UsePipeline(WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.UseAuthFailureLockout();
        app.UseStaticFiles(); // the dashboard's CSS, copied to the build output (ContentRootPath is the app's folder)
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseIdempotencyKeys();

        app.MapOpenApi();
        app.MapHealth();
        if (Cli.WorkerCommand.IsWorkerOnly(app.Configuration)) return; // `touchpoint worker`: health only
        var v1 = app.MapGroup("/api/v1");
        v1.MapAdminApi();
        v1.MapWorkspaceApi();
        v1.MapApiKeysApi();
        v1.MapAuditApi();
        v1.MapCommandsApi();
        v1.MapContactsApi();
        v1.MapPolicyApi();
        v1.MapCampaignsApi();
        v1.MapNextActionApi();
        v1.MapConsentApi();
        v1.MapSuppressionsApi();
        v1.MapAttestationsApi();
        v1.MapJobsApi();
        v1.MapRateLimitsApi();
        v1.MapWebhookDeliveriesApi();
        v1.MapSandboxEventsApi();
        v1.MapMessagesApi();
        v1.MapTemplatesApi();
        v1.MapProvidersApi();
        v1.MapCrmApi();
        app.MapWebhookReceivers();
        v1.MapReviewsApi();
        app.MapUnsubscribe();
        app.MapDashboard();
    }
}
