using System.Globalization;
using System.Text.Json;

namespace Touchpoint.Domain.Webhooks;

/// <summary>Tolerant readers over provider JSON: a wrong type or a missing field reads as null, never throws.</summary>
static class JsonPayload
{
    // Provider payloads are shallow; a low depth limit turns hostile nesting into a parse failure.
    static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static JsonDocument? TryParse(ReadOnlyMemory<byte> body)
    {
        try { return JsonDocument.Parse(body, Options); }
        catch (JsonException) { return null; }
        catch (ArgumentException) { return null; }
    }

    public static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) ? value : null;

    public static IEnumerable<JsonElement> Items(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>A string, or a number/bool as its JSON text (providers are loose about ids and codes).</summary>
    public static string? Text(JsonElement? parent, string name) => Child(parent, name) is { } v ? Scalar(v) : null;

    public static string? Scalar(JsonElement value)
    {
        try
        {
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            };
        }
        catch (InvalidOperationException) { return null; }
    }

    /// <summary>Unix seconds (or milliseconds when <paramref name="milliseconds"/>) from a number or numeric string.</summary>
    public static DateTimeOffset? UnixTime(string? text, bool milliseconds = false)
    {
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return null;
        var seconds = milliseconds ? value / 1000 : value;
        return seconds is >= 0 and <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }
}
