using Microsoft.Extensions.Options;

namespace Touchpoint.Features.Idempotency;

/// <summary><c>Idempotency-Key</c> handling, section <c>Touchpoint:Idempotency</c>.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Touchpoint:Idempotency";

    /// <summary>How long a stored response is replayed for the same key (ARCHITECTURE §8: 24 h).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A first request that has not finished after this long is taken as abandoned (its process died), so a
    /// retry may run instead of getting 409 until the key expires.
    /// </summary>
    public TimeSpan InProgressTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

sealed class IdempotencyOptionsValidation : IValidateOptions<IdempotencyOptions>
{
    public ValidateOptionsResult Validate(string? name, IdempotencyOptions o)
    {
        var errors = new List<string>();
        if (o.Retention < TimeSpan.FromMinutes(1)) errors.Add("Retention must be at least 1 minute.");
        if (o.InProgressTimeout < TimeSpan.FromSeconds(1)) errors.Add("InProgressTimeout must be at least 1 second.");
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"{IdempotencyOptions.Section}: {e}"));
    }
}
