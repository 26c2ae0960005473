using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Touchpoint.Auth;

namespace Touchpoint.Hosting;

/// <summary>ASP.NET Core rate limiting for the anonymous surfaces, plus the lock-out of addresses that fail authentication.</summary>
static class RateLimits
{
    public static void AddTouchpointRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidation>();
        services.AddSingleton<AuthFailureThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((o, limits) =>
        {
            var settings = limits.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, settings));
            o.OnRejected = (context, ct) =>
            {
                var window = context.HttpContext.Request.Path.StartsWithSegments("/webhooks") ? settings.Webhooks.Window : settings.Public.Window;
                return TooManyRequestsAsync(context.HttpContext, window, "Too many requests from this address; slow down and retry later.");
            };
        });
    }

    /// <summary>Before authentication: an address that spent its failure budget gets 429 without the key being looked at.</summary>
    public static void UseAuthFailureLockout(this WebApplication app) => app.Use(async (http, next) =>
    {
        var throttle = http.RequestServices.GetRequiredService<AuthFailureThrottle>();
        if (http.Request.Headers.Authorization.Count > 0 && throttle.IsLockedOut(http))
        {
            await TooManyRequestsAsync(http, throttle.Window, "Too many failed authentication attempts from this address; retry later.");
            return;
        }
        await next(http);
    });

    static RateLimitPartition<string> Partition(HttpContext http, RateLimitingOptions settings)
    {
        var path = http.Request.Path;
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!settings.Enabled) return RateLimitPartition.GetNoLimiter("off");
        if (path.StartsWithSegments("/webhooks")) return Fixed("webhooks:" + client, settings.Webhooks);
        var value = path.Value ?? "";
        if (settings.PublicPathPrefixes.Any(p => value.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            return Fixed("public:" + client, settings.Public);
        return RateLimitPartition.GetNoLimiter("unlimited");
    }

    static RateLimitPartition<string> Fixed(string key, RateLimitRule rule) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = rule.PermitLimit, Window = rule.Window, QueueLimit = 0, AutoReplenishment = true,
        });

    static async ValueTask TooManyRequestsAsync(HttpContext http, TimeSpan retryAfter, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        // The window's length is an upper bound on the wait; fixed windows do not expose the exact remainder.
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests, Title = "Too Many Requests", Detail = detail,
                Type = "https://www.rfc-editor.org/rfc/rfc6585#section-4",
            },
        });
    }
}
