using System.Text.Json.Serialization;
using NodaTime;

namespace Touchpoint.Domain.Policy;

/// <summary>What one rule said. The trace holds one per rule, in <see cref="PolicyRuleNames.InOrder"/>.</summary>
public readonly record struct RuleOutcome(string Rule, RuleVerdict Verdict, string Detail);

[JsonConverter(typeof(JsonStringEnumConverter<RuleVerdict>))]
public enum RuleVerdict
{
    [JsonStringEnumMemberName("pass")] Pass,
    [JsonStringEnumMemberName("deny")] Deny,
    [JsonStringEnumMemberName("not_applicable")] NotApplicable,
    /// <summary>The rule would deny, but an opt-out confirmation is exempt from it (docs/policy.md).</summary>
    [JsonStringEnumMemberName("bypassed")] Bypassed,
}

/// <summary>Where the recipient's time zone came from, in the order the sources are tried.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimeZoneSource>))]
public enum TimeZoneSource
{
    [JsonStringEnumMemberName("channel")] Channel,
    [JsonStringEnumMemberName("contact")] Contact,
    [JsonStringEnumMemberName("phone")] PhoneNumber,
    [JsonStringEnumMemberName("workspace")] Workspace,
    [JsonStringEnumMemberName("utc_fallback")] UtcFallback,
}

/// <summary>
/// The engine's answer (ARCHITECTURE §3 PolicyDecision). <see cref="ReasonCode"/> is
/// <see cref="PolicyReasonCodes.Allowed"/> or the first denying rule's code. <see cref="NextAllowedAt"/>
/// is set only when every denial is about time, and the same request at that instant is allowed.
/// </summary>
public sealed record PolicyVerdict(
    bool AllowSend,
    string ReasonCode,
    IReadOnlyList<RuleOutcome> RuleTrace,
    Instant? NextAllowedAt,
    string RecipientTimeZone,
    TimeZoneSource RecipientTimeZoneSource,
    string Jurisdiction);
