using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Standard Webhooks (https://www.standardwebhooks.com, spec §"Signature scheme"): HMAC-SHA256 keyed with the
/// base64 part of a <c>whsec_</c> secret over <c>{webhook-id}.{webhook-timestamp}.{body}</c>; the
/// <c>webhook-signature</c> header holds space-separated <c>v1,&lt;base64&gt;</c> entries (any may match).
/// Used to verify the generic HTTP provider's callbacks and to sign Touchpoint's own outgoing requests.
/// </summary>
public static class StandardWebhooksSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    const string SecretPrefix = "whsec_";

    /// <summary>The spec's recommended replay window, applied in both directions.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The <c>webhook-signature</c> header value (<c>v1,&lt;base64&gt;</c>) for one message.</summary>
    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var key = DecodeSecret(secret) ?? throw new ArgumentException("Secret must be whsec_<base64>.", nameof(secret));
        return "v1," + Convert.ToBase64String(Mac(key, id, timestamp.ToString(CultureInfo.InvariantCulture), body));
    }

    public static SignatureVerdict Verify(string secret, string? idHeader, string? timestampHeader, string? signatureHeader,
        ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader)) return SignatureVerdict.Invalid(SignatureFailure.MissingSignature);
        if (string.IsNullOrWhiteSpace(idHeader)) return SignatureVerdict.Invalid(SignatureFailure.MissingId);
        if (string.IsNullOrWhiteSpace(timestampHeader)) return SignatureVerdict.Invalid(SignatureFailure.MissingTimestamp);
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return SignatureVerdict.Invalid(SignatureFailure.MalformedHeader);
        var window = tolerance ?? DefaultTolerance;
        if (Math.Abs((decimal)seconds - now.ToUnixTimeSeconds()) > (decimal)window.TotalSeconds)
            return SignatureVerdict.Invalid(SignatureFailure.TimestampOutOfTolerance);
        if (DecodeSecret(secret) is not { } key) return SignatureVerdict.Invalid(SignatureFailure.InvalidKey);

        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(Mac(key, idHeader, timestampHeader, body)));
        var sawV1 = false;
        var matched = false;
        foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Other versions (e.g. v1a, asymmetric) are skipped, as the spec asks, not treated as failures.
            if (!entry.StartsWith("v1,", StringComparison.Ordinal)) continue;
            sawV1 = true;
            // Encoded text is compared (as the reference libraries do): a non-canonical spelling of the same bytes fails.
            matched |= CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(entry[3..]));
        }
        if (!sawV1) return SignatureVerdict.Invalid(SignatureFailure.MalformedHeader);
        return matched ? SignatureVerdict.Valid : SignatureVerdict.Invalid(SignatureFailure.BadSignature);
    }

    static byte[]? DecodeSecret(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret)) return null;
        var text = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var key = new byte[text.Length];
        return Convert.TryFromBase64String(text, key, out var written) && written > 0 ? key[..written] : null;
    }

    static byte[] Mac(byte[] key, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }
}
