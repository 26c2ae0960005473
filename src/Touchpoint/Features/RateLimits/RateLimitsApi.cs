using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.RateLimits;

/// <summary>The workspace's send buckets: the configured defaults, every bucket in use, and per-bucket overrides.</summary>
public static class RateLimitsApi
{
    public static RouteGroupBuilder MapRateLimitsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/rate-limits").WithTags("RateLimits").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", ListRateLimits).WithName("ListRateLimits");
        g.MapPut("/", PutRateLimit).WithName("PutRateLimit");
        return g;
    }

    static async Task<Ok<RateLimitList>> ListRateLimits(TouchpointDb db, IOptions<RateLimitOptions> options, CancellationToken ct)
    {
        var rows = await db.SendRateLimits.AsNoTracking().OrderBy(r => r.Scope).ThenBy(r => r.ScopeKey).ToListAsync(ct);
        var defaults = Enum.GetValues<RateLimitScope>()
            .Select(s => new RateLimitDefaultView(s, options.Value.For(s).RatePerSecond, options.Value.For(s).Burst)).ToList();
        return TypedResults.Ok(new RateLimitList(defaults, [.. rows.Select(RateLimitView.From)]));
    }

    static async Task<Results<Ok<RateLimitView>, ValidationProblem>> PutRateLimit(
        RateLimitRequest body, HttpContext http, TouchpointDb db, TimeProvider clock, CancellationToken ct)
    {
        if (body.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var scope = WireName.Of(WireName.Parse<RateLimitScope>(body.Scope!));
        var key = body.Key!.Trim();
        var now = clock.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.SendRateLimits.FirstOrDefaultAsync(r => r.Scope == scope && r.ScopeKey == key, ct);
            if (row is null)
            {
                row = new SendRateLimit
                {
                    WorkspaceId = http.User.WorkspaceId(), Scope = scope, ScopeKey = key, Tokens = body.Burst!.Value,
                    RefilledAt = now, CreatedAt = now,
                };
                db.SendRateLimits.Add(row);
            }
            row.RatePerSecond = body.RatePerSecond!.Value;
            row.Burst = body.Burst!.Value;
            row.Tokens = Math.Min(row.Tokens, row.Burst); // a lower burst takes effect at once
            row.Configured = true;
            row.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(ct);
                return TypedResults.Ok(RateLimitView.From(row));
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // A worker created the bucket with the default in between; update that row instead.
                db.ChangeTracker.Clear();
            }
        }
    }
}
