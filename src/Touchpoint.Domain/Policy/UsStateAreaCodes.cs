using System.Collections.Frozen;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// NANP area codes of the states whose calling rules are stricter than TCPA (NANPA assignments, 2025).
/// Other US area codes need only the federal window, so they are not listed; the offline geocoder is the
/// fallback for overlays added after this table.
/// </summary>
static class UsStateAreaCodes
{
    static readonly FrozenDictionary<int, string> StateByAreaCode = Build(
        ("FL", [239, 305, 321, 324, 352, 386, 407, 448, 561, 645, 656, 689, 727, 728, 754, 772, 786, 813, 850, 863, 904, 941, 954]),
        ("OK", [405, 539, 572, 580, 918]),
        ("MD", [227, 240, 301, 410, 443, 667]),
        ("WA", [206, 253, 360, 425, 509, 564]),
        ("TX", [210, 214, 254, 281, 325, 346, 361, 409, 430, 432, 469, 512, 682, 713, 726, 737, 806, 817, 830, 832, 903, 915, 936, 940, 945, 956, 972, 979]));

    /// <summary>Geocoder descriptions ("Florida", "Miami, FL") of the same states.</summary>
    static readonly FrozenDictionary<string, string> StateByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Florida"] = "FL", ["Oklahoma"] = "OK", ["Maryland"] = "MD", ["Washington"] = "WA", ["Washington State"] = "WA", ["Texas"] = "TX",
        ["FL"] = "FL", ["OK"] = "OK", ["MD"] = "MD", ["WA"] = "WA", ["TX"] = "TX",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static string? StateFor(int areaCode) => StateByAreaCode.GetValueOrDefault(areaCode);

    /// <summary>Reads a state out of a geocoder description: the whole text or the part after the last comma.</summary>
    public static string? StateFromDescription(string? description)
    {
        if (string.IsNullOrWhiteSpace(description)) return null;
        if (StateByName.TryGetValue(description.Trim(), out var state)) return state;
        var comma = description.LastIndexOf(',');
        return comma < 0 ? null : StateByName.GetValueOrDefault(description[(comma + 1)..].Trim());
    }

    static FrozenDictionary<int, string> Build(params (string State, int[] Codes)[] states)
    {
        var map = new Dictionary<int, string>();
        foreach (var (state, codes) in states)
            foreach (var code in codes) map.Add(code, state);
        return map.ToFrozenDictionary();
    }
}
