using NodaTime;
using PhoneNumbers;

namespace Touchpoint.Features.Shared;

/// <summary>Validation failures keyed by the JSON path of the field, as problem+json's <c>errors</c> expects.</summary>
public sealed class FieldErrors : Dictionary<string, string[]>
{
    public void Add(string field, string message) =>
        this[field] = TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public void Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required.");
    }

    public void TimeZone(string field, string? value)
    {
        if (value is not null && !IanaTimeZones.IsKnown(value))
            Add(field, $"'{value}' is not an IANA time zone (e.g. America/New_York).");
    }

    public void Region(string field, string? value)
    {
        if (value is not null && !PhoneRegions.IsSupported(value))
            Add(field, $"'{value}' is not an ISO 3166 alpha-2 region with a phone numbering plan (e.g. US, GB, MX).");
    }
}

public static class IanaTimeZones
{
    public static bool IsKnown(string id) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is not null;
}

public static class PhoneRegions
{
    static readonly HashSet<string> Supported = new(PhoneNumberUtil.GetInstance().GetSupportedRegions(), StringComparer.Ordinal);

    public static bool IsSupported(string region) => Supported.Contains(region.ToUpperInvariant());
}
