using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Campaigns;

public sealed class PlanHashTests
{
    internal static CampaignPlan Sample() => new(
        new CampaignPolicy(new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)), 2, 5, [Channel.Sms, Channel.Email], FollowUpPreset.Balanced),
        [
            new CampaignStep(Channel.Sms, "Hi {{ contact.first_name }}", 0, new FallbackRouting([Channel.Sms, Channel.Email], 2, 720), ["replied", "booked"], 1440),
            new CampaignStep(Channel.Email, "Following up", 1440),
        ]);

    const string SampleJson = """
        {"policy":{"quietHours":{"start":"21:00","end":"08:00"},"maxTouchesPerDay":2,"maxTouchesPerWeek":5,"allowedChannels":["sms","email"],"preset":"BALANCED"},
         "steps":[{"channel":"sms","template":"Hi {{ contact.first_name }}","delayMinutes":0,"fallback":{"order":["sms","email"],"maxAttempts":2,"cooldownMinutes":720},"stopOnEvents":["replied","booked"],"expiresAfterMinutes":1440},
                  {"channel":"email","template":"Following up","delayMinutes":1440}]}
        """;

    // Same plan, every object's properties in a different order, set-like lists reordered, a null written out.
    const string ReorderedJson = """
        {"steps":[{"expiresAfterMinutes":1440,"stopOnEvents":["booked","replied"],"fallback":{"cooldownMinutes":720,"maxAttempts":2,"order":["sms","email"]},"delayMinutes":0,"template":"Hi {{ contact.first_name }}","channel":"sms"},
                  {"delayMinutes":1440,"template":"Following up","channel":"email","provider":null}],
         "policy":{"preset":"BALANCED","allowedChannels":["email","sms"],"maxTouchesPerWeek":5,"maxTouchesPerDay":2,"quietHours":{"end":"08:00","start":"21:00"}}}
        """;

    static CampaignPlan Parse(string json) => JsonSerializer.Deserialize<CampaignPlan>(json, PlanHash.JsonOptions)!;

    [Fact]
    public void The_hash_is_lowercase_hex_sha256()
    {
        Assert.Matches("^[0-9a-f]{64}$", PlanHash.Compute(Sample()));
    }

    [Fact]
    public void Identical_plans_hash_identically_whatever_the_property_order_of_their_json()
    {
        Assert.Equal(PlanHash.Compute(Sample()), PlanHash.Compute(Parse(SampleJson)));
        Assert.Equal(PlanHash.Compute(Sample()), PlanHash.Compute(Parse(ReorderedJson)));
    }

    [Fact]
    public void Canonical_json_has_sorted_camel_case_keys_no_nulls_and_no_whitespace()
    {
        var json = PlanHash.CanonicalJson(Sample());
        Assert.StartsWith("""{"policy":{"allowedChannels":["email","sms"],"maxTouchesPerDay":2,"maxTouchesPerWeek":5,"preset":"BALANCED","quietHours":{"end":"08:00","start":"21:00"}},"steps":[{"channel":"sms","delayMinutes":0,"expiresAfterMinutes":1440,"fallback":{"cooldownMinutes":720,"maxAttempts":2,"order":["sms","email"]},"stopOnEvents":["booked","replied"],""", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("effectiveFallback", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("1e3", "1000")]
    [InlineData("1.50", "1.5")]
    [InlineData("100", "100")]
    [InlineData("-0.25", "-0.25")]
    public void Numbers_have_one_canonical_spelling(string raw, string canonical)
    {
        Assert.Equal($$"""{"a":{{canonical}}}""", PlanHash.Canonicalize(JsonNode.Parse($$"""{ "a" : {{raw}} }""")));
    }

    public static TheoryData<string> Changes() =>
    [
        "quietHours", "maxTouchesPerDay", "maxTouchesPerWeek", "allowedChannels", "preset", "intervalOverrides",
        "stepChannel", "template", "templateKey", "delayMinutes", "fallbackOrder", "maxAttempts", "cooldownMinutes",
        "stopOnEvents", "expiresAfterMinutes", "provider", "stepOrder", "extraStep", "templateWhitespace",
    ];

    [Theory, MemberData(nameof(Changes))]
    public void Any_change_to_the_plan_changes_the_hash(string change)
    {
        var plan = Sample();
        var s0 = plan.Steps[0];
        var changed = change switch
        {
            "quietHours" => plan with { Policy = plan.Policy with { QuietHours = new(new TimeOnly(20, 0), new TimeOnly(8, 0)) } },
            "maxTouchesPerDay" => plan with { Policy = plan.Policy with { MaxTouchesPerDay = 3 } },
            "maxTouchesPerWeek" => plan with { Policy = plan.Policy with { MaxTouchesPerWeek = null } },
            "allowedChannels" => plan with { Policy = plan.Policy with { AllowedChannels = [Channel.Sms, Channel.Email, Channel.Call] } },
            "preset" => plan with { Policy = plan.Policy with { Preset = FollowUpPreset.Gentle } },
            "intervalOverrides" => plan with { Policy = plan.Policy with { IntervalOverrides = new(ByStep: new Dictionary<int, int> { [1] = 60 }) } },
            "stepOrder" => plan with { Steps = [plan.Steps[1], s0] },
            "extraStep" => plan with { Steps = [.. plan.Steps, plan.Steps[1]] },
            _ => plan with { Steps = [ChangeStep(s0, change), plan.Steps[1]] },
        };
        Assert.NotEqual(PlanHash.Compute(plan), PlanHash.Compute(changed));
    }

    static CampaignStep ChangeStep(CampaignStep s, string change) => change switch
    {
        "stepChannel" => s with { Channel = Channel.Email },
        "template" => s with { Template = "Hello {{ contact.first_name }}" },
        "templateWhitespace" => s with { Template = s.Template + " " },
        "templateKey" => s with { TemplateKey = "intro_v1" },
        "delayMinutes" => s with { DelayMinutes = 1 },
        "fallbackOrder" => s with { Fallback = s.Fallback! with { Order = [Channel.Email, Channel.Sms] } },
        "maxAttempts" => s with { Fallback = s.Fallback! with { MaxAttempts = 3 } },
        "cooldownMinutes" => s with { Fallback = s.Fallback! with { CooldownMinutes = 721 } },
        "stopOnEvents" => s with { StopOnEvents = ["replied"] },
        "expiresAfterMinutes" => s with { ExpiresAfterMinutes = null },
        "provider" => s with { Provider = "twilio" },
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    [Fact]
    public void Quiet_hours_round_trip_as_hour_minute_strings()
    {
        var plan = Parse(SampleJson);
        Assert.Equal(new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)), plan.Policy.QuietHours);
        Assert.Contains("\"start\":\"21:00\"", JsonSerializer.Serialize(plan, PlanHash.JsonOptions), StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => Parse(SampleJson.Replace("\"21:00\"", "\"9pm\"", StringComparison.Ordinal)));
    }
}
