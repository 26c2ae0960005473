using System.Security.Cryptography;
using System.Text;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Meta (WhatsApp Cloud API, Messenger, Instagram) <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, the
/// HMAC-SHA256 of the raw body keyed with the app secret.
/// See https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads.
/// </summary>
public static class MetaSignature
{
    public const string Header = "X-Hub-Signature-256";
    const string Prefix = "sha256=";

    /// <summary>The header value Meta would send for <paramref name="rawBody"/>.</summary>
    public static string Compute(string appSecret, ReadOnlySpan<byte> rawBody) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), rawBody));

    public static SignatureVerdict Verify(string appSecret, ReadOnlySpan<byte> rawBody, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader)) return SignatureVerdict.Invalid(SignatureFailure.MissingSignature);
        if (string.IsNullOrEmpty(appSecret)) return SignatureVerdict.Invalid(SignatureFailure.InvalidKey);
        var value = signatureHeader.Trim();
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || value.Length != Prefix.Length + 64)
            return SignatureVerdict.Invalid(SignatureFailure.MalformedHeader);
        byte[] given;
        try { given = Convert.FromHexString(value.AsSpan(Prefix.Length)); }
        catch (FormatException) { return SignatureVerdict.Invalid(SignatureFailure.MalformedHeader); }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), rawBody);
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? SignatureVerdict.Valid
            : SignatureVerdict.Invalid(SignatureFailure.BadSignature);
    }
}

/// <summary>What to answer to Meta's GET subscription handshake.</summary>
/// <param name="Challenge">When accepted, the exact <c>hub.challenge</c> to echo back as the 200 body.</param>
/// <param name="Refusal">When refused, why (answer 403).</param>
public sealed record MetaChallengeDecision(bool Accepted, string? Challenge, string? Refusal);

/// <summary>
/// Meta verifies a callback URL with <c>GET ?hub.mode=subscribe&amp;hub.verify_token=…&amp;hub.challenge=…</c>;
/// the endpoint must echo the challenge only when the token is the one configured.
/// See https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests.
/// </summary>
public static class MetaSubscriptionChallenge
{
    public static MetaChallengeDecision Decide(string? mode, string? verifyToken, string? challenge, string? expectedVerifyToken)
    {
        if (!string.Equals(mode, "subscribe", StringComparison.Ordinal)) return Refuse("mode_not_subscribe");
        if (string.IsNullOrEmpty(expectedVerifyToken)) return Refuse("verify_token_not_configured");
        if (string.IsNullOrEmpty(verifyToken)) return Refuse("missing_verify_token");
        if (string.IsNullOrEmpty(challenge)) return Refuse("missing_challenge");
        var matches = CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(verifyToken), Encoding.UTF8.GetBytes(expectedVerifyToken));
        return matches ? new(true, challenge, null) : Refuse("verify_token_mismatch");
    }

    /// <summary>Same decision from the parsed query string of the GET request.</summary>
    public static MetaChallengeDecision Decide(IReadOnlyList<KeyValuePair<string, string>> query, string? expectedVerifyToken) =>
        Decide(UrlEncodedForm.Value(query, "hub.mode"), UrlEncodedForm.Value(query, "hub.verify_token"),
            UrlEncodedForm.Value(query, "hub.challenge"), expectedVerifyToken);

    static MetaChallengeDecision Refuse(string reason) => new(false, null, reason);
}
