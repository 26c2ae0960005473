namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Outcome of checking a webhook signature. A receiver answers 401/403 and archives the delivery as
/// <c>rejected_signature</c> whenever <see cref="IsValid"/> is false (ARCHITECTURE §6); <see cref="Reason"/>
/// is one of <see cref="SignatureFailure"/> and is safe to log (it never contains secrets).
/// </summary>
public sealed record SignatureVerdict(bool IsValid, string? Reason)
{
    public static SignatureVerdict Valid { get; } = new(true, null);

    public static SignatureVerdict Invalid(string reason) => new(false, reason);
}

/// <summary>Stable reason codes carried by an invalid <see cref="SignatureVerdict"/>.</summary>
public static class SignatureFailure
{
    public const string MissingSignature = "missing_signature";
    public const string MissingTimestamp = "missing_timestamp";
    public const string MissingId = "missing_id";
    public const string MalformedHeader = "malformed_header";
    public const string BadSignature = "bad_signature";
    public const string TimestampOutOfTolerance = "timestamp_out_of_tolerance";
    public const string BodyHashMismatch = "body_hash_mismatch";
    public const string MissingBodyHash = "missing_body_hash";

    /// <summary>The configured secret or public key itself is unusable: an operator problem, not an attack.</summary>
    public const string InvalidKey = "invalid_key";
}
