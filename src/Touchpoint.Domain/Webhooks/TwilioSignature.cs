using System.Security.Cryptography;
using System.Text;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Twilio's <c>X-Twilio-Signature</c>: Base64(HMAC-SHA1(authToken, url + sorted form params)).
/// See https://www.twilio.com/docs/usage/webhooks/webhooks-security.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    /// <summary>Query parameter Twilio adds to the URL when the callback body is JSON, not a form.</summary>
    public const string BodyHashParameter = "bodySHA256";

    /// <summary>
    /// Signature Twilio would send for a form POST: the full URL, then every parameter sorted by key
    /// (ordinal, i.e. Unix case-sensitive order) with the key immediately followed by its value. A repeated
    /// key contributes each of its values, sorted, the way Twilio's SDKs build it.
    /// </summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParams)
    {
        var data = new StringBuilder(url);
        foreach (var group in formParams.GroupBy(p => p.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            foreach (var value in group.Select(p => p.Value).Order(StringComparer.Ordinal))
                data.Append(group.Key).Append(value);
        return Convert.ToBase64String(Hmac(authToken, data.ToString()));
    }

    /// <summary>Verifies a form-encoded callback (<c>application/x-www-form-urlencoded</c>).</summary>
    /// <param name="url">The exact public URL Twilio called, including the query string.</param>
    public static SignatureVerdict Verify(string authToken, string url,
        IEnumerable<KeyValuePair<string, string>> formParams, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader)) return SignatureVerdict.Invalid(SignatureFailure.MissingSignature);
        if (string.IsNullOrEmpty(authToken)) return SignatureVerdict.Invalid(SignatureFailure.InvalidKey);
        if (!TryBase64(signatureHeader, out _)) return SignatureVerdict.Invalid(SignatureFailure.MalformedHeader);
        var given = signatureHeader.Trim();
        var pairs = formParams.ToList();
        // twilio-python drops exact duplicate (key, value) pairs before signing while the other SDKs keep
        // every value; accept either spelling (they only differ when a key repeats an identical value).
        var distinct = pairs.Distinct().ToList();
        var matched = MatchesAnyPortVariant(url, candidate => Compute(authToken, candidate, pairs), given)
            | (distinct.Count != pairs.Count && MatchesAnyPortVariant(url, candidate => Compute(authToken, candidate, distinct), given));
        return matched ? SignatureVerdict.Valid : SignatureVerdict.Invalid(SignatureFailure.BadSignature);
    }

    /// <summary>
    /// Verifies a JSON-bodied callback: Twilio signs only the URL (no params) and puts the hex SHA-256 of the
    /// raw body in the URL's <c>bodySHA256</c> query parameter, which must also match.
    /// </summary>
    public static SignatureVerdict VerifyJsonBody(string authToken, string url, ReadOnlySpan<byte> rawBody, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader)) return SignatureVerdict.Invalid(SignatureFailure.MissingSignature);
        if (string.IsNullOrEmpty(authToken)) return SignatureVerdict.Invalid(SignatureFailure.InvalidKey);
        if (!TryBase64(signatureHeader, out _)) return SignatureVerdict.Invalid(SignatureFailure.MalformedHeader);
        var given = signatureHeader.Trim();
        var hashHex = UrlEncodedForm.Value(UrlEncodedForm.ParseQuery(url), BodyHashParameter);
        if (string.IsNullOrEmpty(hashHex)) return SignatureVerdict.Invalid(SignatureFailure.MissingBodyHash);
        if (!MatchesAnyPortVariant(url, candidate => Compute(authToken, candidate, []), given))
            return SignatureVerdict.Invalid(SignatureFailure.BadSignature);
        byte[] claimed;
        try { claimed = Convert.FromHexString(hashHex); }
        catch (FormatException) { return SignatureVerdict.Invalid(SignatureFailure.BodyHashMismatch); }
        return CryptographicOperations.FixedTimeEquals(claimed, SHA256.HashData(rawBody))
            ? SignatureVerdict.Valid
            : SignatureVerdict.Invalid(SignatureFailure.BodyHashMismatch);
    }

    /// <summary>
    /// Twilio's SDK validators accept the URL as configured, with the port removed and with the scheme's
    /// default port added, because Twilio may sign either form (load balancers and 443/80 normalization).
    /// </summary>
    /// <remarks>
    /// The encoded text is compared, as the SDKs do, so a non-canonical base64 spelling of the same bytes fails.
    /// </remarks>
    static bool MatchesAnyPortVariant(string url, Func<string, string> sign, string given)
    {
        var matched = false;
        foreach (var candidate in PortVariants(url))
            matched |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sign(candidate)), Encoding.UTF8.GetBytes(given));
        return matched;
    }

    internal static IEnumerable<string> PortVariants(string url)
    {
        yield return url;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) yield break;
        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0) authorityEnd = url.Length;
        var authority = url[authorityStart..authorityEnd];
        var hostStart = authority.LastIndexOf('@') + 1;
        var colon = authority.LastIndexOf(':');
        if (colon >= hostStart && colon > authority.LastIndexOf(']'))
        {
            yield return url[..(authorityStart + colon)] + url[authorityEnd..];
            yield break;
        }
        var scheme = url[..schemeEnd];
        var port = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? "443"
            : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? "80" : null;
        if (port is not null) yield return url[..authorityEnd] + ":" + port + url[authorityEnd..];
    }

    // SHA-1 is Twilio's choice for this scheme; as an HMAC it remains sound and we cannot change it.
#pragma warning disable CA5350
    static byte[] Hmac(string authToken, string data) =>
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data));
#pragma warning restore CA5350

    static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text.Trim(), bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }
        bytes = [];
        return false;
    }
}
