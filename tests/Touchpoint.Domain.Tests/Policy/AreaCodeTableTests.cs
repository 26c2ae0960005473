using PhoneNumbers;
using Touchpoint.Domain.Policy;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

public sealed class AreaCodeTableTests
{
    static readonly Dictionary<string, string> StrictStates = new(StringComparer.Ordinal)
    {
        ["Florida"] = "FL", ["Oklahoma"] = "OK", ["Maryland"] = "MD", ["Washington"] = "WA", ["Washington State"] = "WA", ["Texas"] = "TX",
    };

    [Fact]
    public void Every_US_area_code_lands_in_the_state_the_offline_geocoder_names()
    {
        var util = PhoneNumberUtil.GetInstance();
        var geocoder = PhoneNumberOfflineGeocoder.GetInstance();
        var compared = 0;
        for (var areaCode = 201; areaCode <= 989; areaCode++)
        {
            var phone = $"+1{areaCode}3771234";
            var number = util.Parse(phone, null);
            if (util.GetRegionCodeForNumber(number) != "US") continue;
            var description = geocoder.GetDescriptionForNumber(number, Locale.English);
            if (string.IsNullOrEmpty(description)) continue;

            var verdict = PolicyEngine.Evaluate(MarketingText(phone));
            Assert.True(ExpectedJurisdiction(description) == verdict.Jurisdiction, $"{phone} '{description}' → {verdict.Jurisdiction}");
            compared++;
        }
        Assert.True(compared > 250, $"only {compared} area codes compared");
    }

    static string ExpectedJurisdiction(string description)
    {
        var state = description.Contains(',', StringComparison.Ordinal) ? description[(description.LastIndexOf(',') + 1)..].Trim() : description;
        return StrictStates.TryGetValue(state, out var code) || StrictStates.ContainsValue(state) ? $"US-{code ?? state}" : "US";
    }
}
