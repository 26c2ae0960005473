using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// SendGrid Signed Event Webhook: ECDSA P-256 / SHA-256 over <c>timestamp + rawBody</c>, DER signature in
/// base64. See https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features.
/// </summary>
public static class SendGridSignature
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    /// <param name="publicKey">The verification key from SendGrid's settings: base64 SubjectPublicKeyInfo (PEM also accepted).</param>
    /// <param name="tolerance">
    /// Optional replay window against <paramref name="now"/>. SendGrid documents no window and its SDKs do not
    /// check one, so null (the default) only requires a well-formed timestamp; pass a window to be stricter.
    /// </param>
    public static SignatureVerdict Verify(string publicKey, string? signatureHeader, string? timestampHeader,
        ReadOnlySpan<byte> rawBody, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader)) return SignatureVerdict.Invalid(SignatureFailure.MissingSignature);
        if (string.IsNullOrWhiteSpace(timestampHeader)) return SignatureVerdict.Invalid(SignatureFailure.MissingTimestamp);
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return SignatureVerdict.Invalid(SignatureFailure.MalformedHeader);
        if (tolerance is { } window && Math.Abs((decimal)seconds - now.ToUnixTimeSeconds()) > (decimal)window.TotalSeconds)
            return SignatureVerdict.Invalid(SignatureFailure.TimestampOutOfTolerance);

        var signature = new byte[signatureHeader.Length];
        if (!Convert.TryFromBase64String(signatureHeader.Trim(), signature, out var length))
            return SignatureVerdict.Invalid(SignatureFailure.MalformedHeader);

        using var ecdsa = ECDsa.Create();
        if (!TryImport(ecdsa, publicKey)) return SignatureVerdict.Invalid(SignatureFailure.InvalidKey);

        var timestamp = Encoding.UTF8.GetBytes(timestampHeader);
        var signed = new byte[timestamp.Length + rawBody.Length];
        timestamp.CopyTo(signed, 0);
        rawBody.CopyTo(signed.AsSpan(timestamp.Length));
        try
        {
            return ecdsa.VerifyData(signed, signature.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                ? SignatureVerdict.Valid
                : SignatureVerdict.Invalid(SignatureFailure.BadSignature);
        }
        catch (CryptographicException)
        {
            // A signature that is not a DER sequence at all can surface as an exception on some platforms.
            return SignatureVerdict.Invalid(SignatureFailure.BadSignature);
        }
    }

    static bool TryImport(ECDsa ecdsa, string publicKey)
    {
        if (string.IsNullOrWhiteSpace(publicKey)) return false;
        try
        {
            if (publicKey.Contains("-----BEGIN", StringComparison.Ordinal)) ecdsa.ImportFromPem(publicKey);
            else ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey.Trim()), out _);
            // SendGrid keys are P-256; anything else is a misconfiguration, not a key to trust.
            return ecdsa.KeySize == 256;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
