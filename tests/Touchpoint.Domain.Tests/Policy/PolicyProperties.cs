using FsCheck;
using FsCheck.Xunit;
using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

/// <summary>Invariants over random requests built by <see cref="RandomPolicyRequest"/>.</summary>
public sealed class PolicyProperties
{
    [Property(MaxTest = 500)]
    public void A_suppression_denies_every_channel_whatever_consent_and_campaign_say(int seed, bool addressScope, byte reason)
    {
        var request = RandomPolicyRequest.From(seed) with
        {
            Suppressions = [new(addressScope ? SuppressionScope.Address : SuppressionScope.Contact,
                (SuppressionReason)(1 + reason % 5), reason % 2 == 0 ? null : RandomPolicyRequest.Now(seed) + Duration.FromMinutes(1))],
        };
        var verdict = PolicyEngine.Evaluate(request);
        Assert.False(verdict.AllowSend);
        Assert.Equal(PolicyReasonCodes.Suppressed, verdict.ReasonCode);
        Assert.Null(verdict.NextAllowedAt);
    }

    [Property(MaxTest = 1000)]
    public void No_allowed_phone_decision_falls_outside_the_legal_window_on_the_recipients_clock(int seed)
    {
        var request = RandomPolicyRequest.From(seed, forceAllowable: true);
        var verdict = PolicyEngine.Evaluate(request);
        if (!verdict.AllowSend || !RandomPolicyRequest.IsPhone(request.Channel)) return;

        var state = request.Contact.UsState ?? StateOfNumber(request.Address!.Value);
        if (state is null) return; // non-US number: only the campaign window applies
        var local = request.Now.InZone(DateTimeZoneProviders.Tzdb[request.Address!.TimeZone!]);
        var (open, close) = ExpectedLegalHours(state, local.DayOfWeek);
        Assert.InRange(local.TimeOfDay, open, close.PlusTicks(-1));
        if (request.Campaign?.QuietHours is { IsEmpty: false } quiet) Assert.False(quiet.Contains(local.TimeOfDay));
    }

    [Property(MaxTest = 1000)]
    public void Next_allowed_at_is_itself_allowed_and_lies_ahead(int seed)
    {
        var request = RandomPolicyRequest.From(seed, forceAllowable: true);
        var verdict = PolicyEngine.Evaluate(request);
        if (verdict.NextAllowedAt is not { } next) return;

        Assert.False(verdict.AllowSend);
        Assert.True(next > request.Now);
        Assert.True(next <= request.Now + PolicyEngine.LookAhead);
        var later = PolicyEngine.Evaluate(request with { Now = next });
        Assert.True(later.AllowSend, $"{verdict.ReasonCode} at {request.Now} → {next} gave {later.ReasonCode}");
    }

    [Property(MaxTest = 500)]
    public void Only_time_bound_denials_carry_a_next_allowed_instant(int seed)
    {
        var verdict = PolicyEngine.Evaluate(RandomPolicyRequest.From(seed));
        var denials = verdict.RuleTrace.Where(r => r.Verdict == RuleVerdict.Deny).Select(r => r.Rule).ToList();
        string[] timeRules = [PolicyRuleNames.QuietHours, PolicyRuleNames.LegalWindow, PolicyRuleNames.FrequencyCaps, PolicyRuleNames.SubjectLimit];
        if (verdict.NextAllowedAt is not null) Assert.All(denials, rule => Assert.Contains(rule, timeRules));
        Assert.Equal(verdict.AllowSend, denials.Count == 0);
    }

    [Property(MaxTest = 500)]
    public void The_trace_always_lists_every_rule_in_the_documented_order(int seed)
    {
        var verdict = PolicyEngine.Evaluate(RandomPolicyRequest.From(seed));
        Assert.Equal(PolicyRuleNames.InOrder, verdict.RuleTrace.Select(r => r.Rule));
        var firstDenial = verdict.RuleTrace.FirstOrDefault(r => r.Verdict == RuleVerdict.Deny);
        Assert.Equal(verdict.AllowSend, firstDenial.Rule is null);
    }

    static string? StateOfNumber(string phone) => phone switch
    {
        NewYorkPhone => "NY",
        MiamiPhone => "FL",
        AustinPhone => "TX",
        _ => null,
    };

    /// <summary>An oracle written independently of the engine's tables.</summary>
    static (LocalTime Open, LocalTime Close) ExpectedLegalHours(string? state, IsoDayOfWeek day) => state switch
    {
        "FL" or "OK" or "MD" or "WA" => (new(8, 0), new(20, 0)),
        "TX" => (day == IsoDayOfWeek.Sunday ? new(12, 0) : new(9, 0), new(21, 0)),
        _ => (new(8, 0), new(21, 0)),
    };
}
