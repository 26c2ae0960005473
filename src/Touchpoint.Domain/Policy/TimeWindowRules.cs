using NodaTime;

namespace Touchpoint.Domain.Policy;

/// <summary>Rule 5: the campaign's quiet hours and the legal window, both on the recipient's clock.
/// Together they allow the intersection of the campaign window and the legal window.</summary>
static class TimeWindowRules
{
    public static RuleCheck QuietHours(PolicyRequest r, ZonedDateTime local)
    {
        var quiet = r.Campaign?.QuietHours;
        if (quiet is null || quiet.IsEmpty)
            return RuleCheck.Skip(PolicyRuleNames.QuietHours, "no campaign quiet hours");
        if (!quiet.Contains(local.TimeOfDay))
            return RuleCheck.Pass(PolicyRuleNames.QuietHours, "outside the campaign quiet hours");
        return RuleCheck.DenyUntil(PolicyRuleNames.QuietHours, PolicyReasonCodes.QuietHours,
            $"local {ClockText.Of(local.TimeOfDay)} in {local.Zone.Id} is inside quiet hours {quiet}", quiet.EndsAfter(local));
    }

    public static RuleCheck LegalWindow(RecipientJurisdiction jurisdiction, ZonedDateTime local)
    {
        if (jurisdiction.Window is not { } window)
            return RuleCheck.Skip(PolicyRuleNames.LegalWindow, jurisdiction.Detail);
        if (window.Allows(local.LocalDateTime))
            return RuleCheck.Pass(PolicyRuleNames.LegalWindow, window.PassDetail);
        var (start, end) = window.HoursOn(local.DayOfWeek);
        return RuleCheck.DenyUntil(PolicyRuleNames.LegalWindow, PolicyReasonCodes.LegalWindow,
            $"local {ClockText.Of(local.TimeOfDay)} {local.DayOfWeek} in {local.Zone.Id} is outside {ClockText.Range(start, end)} ({window.Citation})",
            window.NextOpeningAfter(local));
    }
}
