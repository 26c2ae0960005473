using Microsoft.Extensions.Options;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.RateLimits;

/// <summary>
/// Default send limits per scope, section <c>Touchpoint:RateLimits</c>; a workspace overrides one bucket with
/// <c>PUT /api/v1/rate-limits</c>. A rate of 0 means "no limit" for buckets nobody configured.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Touchpoint:RateLimits";

    /// <summary>1 message/s, no burst: what US carriers allow a 10DLC long code without a registered campaign.</summary>
    public RateLimitDefault Sender { get; set; } = new() { RatePerSecond = 1, Burst = 1 };
    public RateLimitDefault ProviderAccount { get; set; } = new();
    public RateLimitDefault Workspace { get; set; } = new();

    public RateLimitDefault For(RateLimitScope scope) => scope switch
    {
        RateLimitScope.Sender => Sender,
        RateLimitScope.ProviderAccount => ProviderAccount,
        _ => Workspace,
    };
}

public sealed class RateLimitDefault
{
    public double RatePerSecond { get; set; }
    public int Burst { get; set; } = 1;
    public bool IsUnlimited => RatePerSecond <= 0;
}

sealed class RateLimitOptionsValidation : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions o)
    {
        var errors = new List<string>();
        foreach (var (scope, d) in new[] { ("Sender", o.Sender), ("ProviderAccount", o.ProviderAccount), ("Workspace", o.Workspace) })
        {
            if (d.RatePerSecond < 0 || d.RatePerSecond > RateLimitRules.MaxRatePerSecond)
                errors.Add($"{scope}:RatePerSecond must be between 0 (no limit) and {RateLimitRules.MaxRatePerSecond}.");
            if (d.Burst is < 1 or > RateLimitRules.MaxBurst) errors.Add($"{scope}:Burst must be between 1 and {RateLimitRules.MaxBurst}.");
        }
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"{RateLimitOptions.Section}: {e}"));
    }
}
