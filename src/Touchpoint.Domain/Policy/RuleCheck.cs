using System.Runtime.CompilerServices;
using NodaTime;

namespace Touchpoint.Domain.Policy;

/// <summary>One rule's result inside the engine: the public trace entry plus what the search for
/// <c>nextAllowedAt</c> needs (is the denial about time, and when could this rule pass).</summary>
readonly record struct RuleCheck(string Rule, RuleVerdict Verdict, string Detail, string? Reason, bool TimeBound, Instant? RetryAt)
{
    public bool Denies => Verdict == RuleVerdict.Deny;

    public static RuleCheck Pass(string rule, string detail) => new(rule, RuleVerdict.Pass, detail, null, false, null);
    public static RuleCheck Skip(string rule, string detail) => new(rule, RuleVerdict.NotApplicable, detail, null, false, null);
    public static RuleCheck Deny(string rule, string reason, string detail) => new(rule, RuleVerdict.Deny, detail, reason, false, null);

    /// <summary>This rule's denial, exempted: the verdict becomes <see cref="RuleVerdict.Bypassed"/>, the detail keeps why.</summary>
    public RuleCheck Bypass(string why) => new(Rule, RuleVerdict.Bypassed, $"{Detail}; bypassed: {why}", null, false, null);

    /// <summary>A denial that waiting cures; <paramref name="retryAt"/> is when this rule alone could pass (null = never).</summary>
    public static RuleCheck DenyUntil(string rule, string reason, string detail, Instant? retryAt) =>
        new(rule, RuleVerdict.Deny, detail, reason, true, retryAt);
}

/// <summary>Room for one check per rule without a heap allocation per decision.</summary>
[InlineArray(Count)]
struct RuleChecks
{
    public const int Count = 11;
    RuleCheck first;
}
