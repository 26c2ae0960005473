using System.Collections.Concurrent;
using PhoneNumbers;

namespace Touchpoint.Domain.Policy;

/// <summary>What a phone number says about where its owner is.</summary>
/// <param name="RegionCode">ISO 3166 region from libphonenumber, e.g. <c>US</c>, <c>CA</c>; null if unknown.</param>
/// <param name="IsNanp">Country calling code +1 (US, Canada, Caribbean).</param>
/// <param name="UsState">Two-letter state when the number is a US number of a state with its own rules.</param>
/// <param name="ZoneId">IANA zone when libphonenumber maps the number to exactly one zone.</param>
sealed record PhoneNumberFacts(string? RegionCode, bool IsNanp, string? UsState, string? ZoneId)
{
    public static readonly PhoneNumberFacts Unknown = new(null, false, null, null);
}

/// <summary>
/// Phone-number inference (region, US state, time zone) with libphonenumber, cached: parsing is far
/// slower than a decision. NANP numbers are cached per area code, others per number up to a bound.
/// </summary>
static class PhoneNumberGeography
{
    const int MaxCachedNumbers = 50_000;
    static readonly ConcurrentDictionary<int, PhoneNumberFacts> ByAreaCode = new();
    static readonly ConcurrentDictionary<string, PhoneNumberFacts> ByNumber = new(StringComparer.Ordinal);

    public static PhoneNumberFacts Describe(string? e164)
    {
        if (string.IsNullOrEmpty(e164) || e164[0] != '+') return PhoneNumberFacts.Unknown;
        if (TryNanpAreaCode(e164, out var areaCode))
        {
            if (ByAreaCode.TryGetValue(areaCode, out var known)) return known;
            var facts = Inspect(e164, areaCode);
            // An invalid number can hide its area code's region; cache only what libphonenumber recognised.
            if (facts.RegionCode is not null) ByAreaCode.TryAdd(areaCode, facts);
            return facts;
        }
        if (ByNumber.TryGetValue(e164, out var cached)) return cached;
        var described = Inspect(e164, null);
        if (ByNumber.Count < MaxCachedNumbers) ByNumber.TryAdd(e164, described);
        return described;
    }

    static bool TryNanpAreaCode(string e164, out int areaCode)
    {
        areaCode = 0;
        if (e164.Length != 12 || e164[1] != '1') return false;
        for (var i = 2; i < 5; i++)
        {
            var digit = e164[i] - '0';
            if (digit is < 0 or > 9) return false;
            areaCode = areaCode * 10 + digit;
        }
        return true;
    }

    static PhoneNumberFacts Inspect(string e164, int? nanpAreaCode)
    {
        PhoneNumber number;
        try
        {
            number = PhoneNumberUtil.GetInstance().Parse(e164, null);
        }
        catch (NumberParseException)
        {
            return PhoneNumberFacts.Unknown;
        }
        var util = PhoneNumberUtil.GetInstance();
        var isNanp = number.CountryCode == 1;
        var region = util.GetRegionCodeForNumber(number);
        var tableState = nanpAreaCode is { } code ? UsStateAreaCodes.StateFor(code) : null;
        if (region is null && tableState is not null) region = "US";
        var state = region == "US"
            ? tableState ?? UsStateAreaCodes.StateFromDescription(
                PhoneNumberOfflineGeocoder.GetInstance().GetDescriptionForNumber(number, Locale.English))
            : null;
        return new PhoneNumberFacts(region, isNanp, state, SingleZone(number));
    }

    static string? SingleZone(PhoneNumber number)
    {
        var mapper = PhoneNumberToTimeZonesMapper.GetInstance();
        var zones = mapper.GetTimeZonesForNumber(number);
        if (zones.Count != 1) return null;
        var zone = zones[0];
        return zone == mapper.GetUnknownTimeZone() ? null : zone;
    }
}
