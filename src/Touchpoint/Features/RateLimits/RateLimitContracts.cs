using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.RateLimits;

public static class RateLimitRules
{
    public const double MaxRatePerSecond = 10_000;
    public const int MaxBurst = 100_000;
    public const int MaxKeyLength = 255;
}

/// <summary><c>PUT /api/v1/rate-limits</c>: one bucket's own rate and burst, replacing the scope's default.</summary>
public sealed record RateLimitRequest(string? Scope, string? Key, double? RatePerSecond, int? Burst)
{
    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (!WireName.TryParse<RateLimitScope>(Scope, out _))
            errors.Add("scope", $"must be one of {string.Join(", ", WireName.All<RateLimitScope>())}.");
        errors.Required("key", Key);
        if (Key is { Length: > RateLimitRules.MaxKeyLength }) errors.Add("key", $"must be at most {RateLimitRules.MaxKeyLength} characters.");
        if (RatePerSecond is not (> 0 and <= RateLimitRules.MaxRatePerSecond))
            errors.Add("ratePerSecond", $"must be more than 0 and at most {RateLimitRules.MaxRatePerSecond}.");
        if (Burst is not (>= 1 and <= RateLimitRules.MaxBurst)) errors.Add("burst", $"must be between 1 and {RateLimitRules.MaxBurst}.");
        return errors;
    }
}

public sealed record RateLimitView(RateLimitScope Scope, string Key, double RatePerSecond, int Burst, double Tokens,
    DateTimeOffset RefilledAt, bool Configured)
{
    public static RateLimitView From(SendRateLimit r) =>
        new(WireName.Parse<RateLimitScope>(r.Scope), r.ScopeKey, r.RatePerSecond, r.Burst, r.Tokens, r.RefilledAt, r.Configured);
}

/// <summary>A scope's default; <c>ratePerSecond</c> 0 = not limited.</summary>
public sealed record RateLimitDefaultView(RateLimitScope Scope, double RatePerSecond, int Burst);

public sealed record RateLimitList(List<RateLimitDefaultView> Defaults, List<RateLimitView> Items);
