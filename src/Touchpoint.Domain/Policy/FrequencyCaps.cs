using NodaTime;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// Rule 6: caps over rolling windows (a touch counts while it is less than 24 h / 7 days old), and the
/// state limit of 3 calls/texts per 24 h on one subject. A denial lifts when enough touches age out.
/// </summary>
static class FrequencyCaps
{
    static readonly Duration Day = Duration.FromDays(1), Week = Duration.FromDays(7);

    /// <summary>YELLOW halves every cap, rounding down but never below 1 (a cap of 0 stays 0).</summary>
    public static int? Effective(int? cap, BudgetTier tier) =>
        cap is { } c && tier == BudgetTier.Yellow && c > 0 ? Math.Max(1, c / 2) : cap;

    public static RuleCheck Caps(PolicyRequest r, Instant now)
    {
        var campaign = r.Campaign;
        if (campaign is null) return RuleCheck.Skip(PolicyRuleNames.FrequencyCaps, "no campaign caps");
        var tier = r.Workspace.BudgetTier;
        var daily = Effective(campaign.MaxTouchesPerDay, tier);
        var weekly = Effective(campaign.MaxTouchesPerWeek, tier);
        var perChannel = campaign.ChannelDailyCaps is { } caps && caps.TryGetValue(r.Channel, out var c) ? Effective(c, tier) : null;
        if (daily is null && weekly is null && perChannel is null)
            return RuleCheck.Skip(PolicyRuleNames.FrequencyCaps, "campaign sets no caps");

        string? reason = null, detail = null;
        Instant? retry = now;
        Check(r.RecentTouches, now, Day, null, daily, PolicyReasonCodes.DailyCap, "touches in the last 24 h", ref reason, ref detail, ref retry);
        Check(r.RecentTouches, now, Week, null, weekly, PolicyReasonCodes.WeeklyCap, "touches in the last 7 days", ref reason, ref detail, ref retry);
        Check(r.RecentTouches, now, Day, r.Channel, perChannel, PolicyReasonCodes.ChannelCap, "touches on this channel in the last 24 h", ref reason, ref detail, ref retry);
        if (reason is null)
            return RuleCheck.Pass(PolicyRuleNames.FrequencyCaps, tier == BudgetTier.Yellow ? "under caps (halved: YELLOW)" : "under caps");
        return RuleCheck.DenyUntil(PolicyRuleNames.FrequencyCaps, reason, detail!, retry);
    }

    public static RuleCheck SubjectLimit(PolicyRequest r, RecipientJurisdiction jurisdiction, Instant now)
    {
        if (jurisdiction.Window?.SubjectLimitPer24Hours is not { } limit)
            return RuleCheck.Skip(PolicyRuleNames.SubjectLimit, "no per-subject limit in the recipient's jurisdiction");
        var subject = new SubjectOfMessage(r.SubjectKey, r.Campaign?.CampaignId);
        if (subject.IsNone) return RuleCheck.Skip(PolicyRuleNames.SubjectLimit, "message has no subject or campaign");
        var touches = r.RecentTouches;
        var since = now - Day;
        var count = 0;
        Span<long> sentAt = touches.Count <= 128 ? stackalloc long[touches.Count] : new long[touches.Count];
        for (var i = 0; i < touches.Count; i++)
        {
            var t = touches[i];
            // FTSA counts "telephonic sales calls", which include text messages: all phone channels count.
            if (t.SentAt > since && RecipientTimeZone.IsPhoneChannel(t.Channel) && subject.Matches(t))
                sentAt[count++] = t.SentAt.ToUnixTimeTicks();
        }
        if (count < limit)
            return RuleCheck.Pass(PolicyRuleNames.SubjectLimit, jurisdiction.Window.SubjectPassDetail);
        return RuleCheck.DenyUntil(PolicyRuleNames.SubjectLimit, PolicyReasonCodes.SubjectLimit,
            $"{jurisdiction.Label} allows {limit} calls/texts per 24 h on one subject; {count} sent ({jurisdiction.Window.Citation})",
            AgesOutAt(sentAt[..count], count - limit, Day));
    }

    static void Check(IReadOnlyList<RecentTouch> touches, Instant now, Duration window, Channel? channel, int? cap,
        string code, string what, ref string? reason, ref string? detail, ref Instant? retry)
    {
        if (cap is not { } limit) return;
        var since = now - window;
        var count = 0;
        Span<long> sentAt = touches.Count <= 128 ? stackalloc long[touches.Count] : new long[touches.Count];
        for (var i = 0; i < touches.Count; i++)
        {
            var t = touches[i];
            if (t.SentAt > since && (channel is null || t.Channel == channel))
                sentAt[count++] = t.SentAt.ToUnixTimeTicks();
        }
        if (count < limit) return;
        reason ??= code;
        detail ??= $"{count} {what}; cap {limit}";
        // The rule passes once every denying cap has rolled over: the latest of their roll-over instants.
        var rollsOver = limit > 0 ? AgesOutAt(sentAt[..count], count - limit, window) : (Instant?)null;
        retry = retry is { } r && rollsOver is { } o ? Instant.Max(r, o) : null;
    }

    /// <summary>When the (k+1)-th oldest counted touch leaves the window, leaving one slot free.</summary>
    static Instant AgesOutAt(Span<long> sentAtTicks, int k, Duration window)
    {
        sentAtTicks.Sort();
        return Instant.FromUnixTimeTicks(sentAtTicks[k]) + window;
    }
}
