namespace Touchpoint.Domain.Policy;

/// <summary>Rule names as they appear in the trace, in evaluation order (ARCHITECTURE §4 step 2).</summary>
public static class PolicyRuleNames
{
    public const string Suppression = "suppression";
    public const string Address = "address";
    public const string Consent = "consent";
    public const string Attestation = "attestation";
    public const string QuietHours = "quiet_hours";
    public const string LegalWindow = "legal_window";
    public const string FrequencyCaps = "frequency_caps";
    public const string SubjectLimit = "subject_limit";
    public const string Fatigue = "fatigue";
    public const string BudgetTier = "budget_tier";
    public const string Campaign = "campaign";

    /// <summary>The documented order; every trace lists exactly these, in this order.</summary>
    public static IReadOnlyList<string> InOrder { get; } =
    [
        Suppression, Address, Consent, Attestation, QuietHours, LegalWindow,
        FrequencyCaps, SubjectLimit, Fatigue, BudgetTier, Campaign,
    ];
}
