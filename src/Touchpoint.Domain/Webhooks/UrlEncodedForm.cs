using System.Net;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Parses <c>application/x-www-form-urlencoded</c> text (a Twilio POST body or a URL query) into ordered
/// key/value pairs, keeping repeated keys, so receivers can store the raw body first and parse it here.
/// </summary>
public static class UrlEncodedForm
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? encoded)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(encoded)) return pairs;
        foreach (var segment in encoded.Split('&'))
        {
            if (segment.Length == 0) continue;
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? segment : segment[..eq];
            var value = eq < 0 ? "" : segment[(eq + 1)..];
            // WebUtility.UrlDecode turns '+' into a space and leaves invalid escapes as they are; it never throws.
            pairs.Add(new(WebUtility.UrlDecode(key), WebUtility.UrlDecode(value)));
        }
        return pairs;
    }

    /// <summary>The query part of <paramref name="url"/> (between '?' and '#'), parsed.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string url)
    {
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q < 0) return [];
        var hash = url.IndexOf('#', q);
        return Parse(hash < 0 ? url[(q + 1)..] : url[(q + 1)..hash]);
    }

    /// <summary>Last value of <paramref name="key"/> (case-sensitive, as Twilio spells its parameters).</summary>
    public static string? Value(IReadOnlyList<KeyValuePair<string, string>> pairs, string key)
    {
        string? found = null;
        foreach (var (k, v) in pairs)
            if (string.Equals(k, key, StringComparison.Ordinal)) found = v;
        return found;
    }
}
