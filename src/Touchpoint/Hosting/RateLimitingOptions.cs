using Microsoft.Extensions.Options;

namespace Touchpoint.Hosting;

/// <summary>
/// Section <c>Touchpoint:RateLimiting</c>: fixed windows per client address for the anonymous surfaces
/// (webhooks, unsubscribe and login pages) and for failed API-key authentications. Defaults are generous:
/// they stop floods and key guessing, not providers' bursts.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string Section = "Touchpoint:RateLimiting";

    public bool Enabled { get; set; } = true;
    /// <summary>
    /// <c>/webhooks/*</c>: provider callbacks arrive in bursts of thousands per second from a handful of addresses, so
    /// this is a flood guard (5,000/s per address), not a throttle a real provider could reach.
    /// </summary>
    public RateLimitRule Webhooks { get; set; } = new() { PermitLimit = 5000, Window = TimeSpan.FromSeconds(1) };
    /// <summary>Anonymous pages under <see cref="PublicPathPrefixes"/> (one-click unsubscribe, login).</summary>
    public RateLimitRule Public { get; set; } = new() { PermitLimit = 300, Window = TimeSpan.FromMinutes(1) };
    /// <summary>Failed API-key authentications; once spent, every bearer request from that address is 429 until the window ends.</summary>
    public RateLimitRule AuthFailures { get; set; } = new() { PermitLimit = 50, Window = TimeSpan.FromMinutes(5) };
    public List<string> PublicPathPrefixes { get; set; } = ["/u/", "/login"];
}

public sealed class RateLimitRule
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }
}

sealed class RateLimitingOptionsValidation : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions o)
    {
        var errors = new List<string>();
        foreach (var (rule, label) in new[] { (o.Webhooks, "Webhooks"), (o.Public, "Public"), (o.AuthFailures, "AuthFailures") })
        {
            if (rule.PermitLimit < 1) errors.Add($"{label}:PermitLimit must be at least 1.");
            if (rule.Window < TimeSpan.FromSeconds(1)) errors.Add($"{label}:Window must be at least 1 second.");
        }
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"{RateLimitingOptions.Section}: {e}"));
    }
}
