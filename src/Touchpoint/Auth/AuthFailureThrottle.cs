using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Touchpoint.Hosting;

namespace Touchpoint.Auth;

/// <summary>
/// Counts failed authentications per client address in a fixed window (System.Threading.RateLimiting, the
/// limiter ASP.NET Core's rate limiting is built on). Only failures spend permits, so a correct key is never
/// slowed down until its address has failed <see cref="RateLimitRule.PermitLimit"/> times in the window.
/// Anything that checks credentials (API keys, a login form) reports failures here.
/// </summary>
public sealed class AuthFailureThrottle : IDisposable
{
    readonly PartitionedRateLimiter<string>? limiter;

    public AuthFailureThrottle(IOptions<RateLimitingOptions> options)
    {
        var settings = options.Value;
        Window = settings.AuthFailures.Window;
        if (!settings.Enabled) return;
        var rule = settings.AuthFailures;
        limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = rule.PermitLimit, Window = rule.Window, QueueLimit = 0, AutoReplenishment = true }));
    }

    public TimeSpan Window { get; }

    public void RecordFailure(HttpContext http)
    {
        if (limiter is null) return;
        using var lease = limiter.AttemptAcquire(Address(http));
    }

    public bool IsLockedOut(HttpContext http) =>
        limiter?.GetStatistics(Address(http)) is { CurrentAvailablePermits: 0 };

    public void Dispose() => limiter?.Dispose();

    static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
