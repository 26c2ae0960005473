using System.Text.Json.Serialization;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Leads;

[JsonConverter(typeof(JsonStringEnumConverter<NextActionKind>))]
public enum NextActionKind
{
    [JsonStringEnumMemberName("send")] Send,
    [JsonStringEnumMemberName("reactivate")] Reactivate,
    [JsonStringEnumMemberName("cooldown")] Cooldown,
    [JsonStringEnumMemberName("stop_all")] StopAll,
    [JsonStringEnumMemberName("do_nothing")] DoNothing,
}

/// <summary>A timeline entry the brain looks at (newest first).</summary>
public sealed record LeadEvent(string Type, DateTimeOffset At, int ScoreDelta, Channel? Channel);

/// <summary>A non-terminal enrollment of the contact; <see cref="NextChannel"/> is the channel its next touch uses.</summary>
public sealed record OpenEnrollment(Guid EnrollmentId, Guid CampaignId, EnrollmentState State, DateTimeOffset? NextActionAt,
    Channel? NextChannel, bool Paused, bool CampaignActive);

/// <summary>Everything the brain decides from, returned with the answer so the decision can be explained.</summary>
public sealed record LeadFacts(
    DateTimeOffset Now,
    LeadStage Stage,
    IReadOnlyList<string> Suppressions,
    IReadOnlyList<Channel> OptedOutChannels,
    IReadOnlyList<Channel> ReachableChannels,
    IReadOnlyList<OpenEnrollment> OpenEnrollments,
    bool DoNotContact,
    DateTimeOffset? LastTouchAt,
    DateTimeOffset? LastInboundAt,
    Channel? LastInboundChannel,
    DateTimeOffset? ReactivationAfter,
    int FatigueScore,
    IReadOnlyList<LeadEvent> RecentEvents);

public sealed record NextAction(NextActionKind Action, Channel? Channel, int DelayMinutes, int Priority, string Reason, string Detail);

/// <summary>
/// The lead brain (seed 004 lead_next_action_view + lead_suppression_status): one recommendation per contact,
/// first match wins — stop_all (suppressed, DNC, SUPPRESSED stage, nothing reachable) → send (their reply is
/// waiting for an answer) → cooldown (a negative event in the last 14 days, or fatigue at the limit) → send
/// (an open campaign touch; delay until it is due) → reactivate (reactivation_after has passed) → cooldown
/// (waiting for reactivation_after) → do_nothing. Priority 0–100 orders the work queue.
/// </summary>
public static class LeadBrain
{
    public static readonly TimeSpan NegativeCooldown = TimeSpan.FromDays(14);
    public static readonly TimeSpan ReplyAnswerWindow = TimeSpan.FromDays(7);
    public const int NegativeEventScore = -20;
    public const int FatigueLimit = 80;

    /// <summary>When nothing else says which channel, the most personal reachable one.</summary>
    static readonly Channel[] Preference = [Channel.Sms, Channel.Whatsapp, Channel.Imessage, Channel.Email, Channel.Call,
        Channel.Messenger, Channel.Instagram, Channel.Voicemail, Channel.Rvm];

    public static NextAction Decide(LeadFacts f)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.Suppressions.Count > 0)
            return new(NextActionKind.StopAll, null, 0, 0, "suppressed", $"active suppression: {string.Join(", ", f.Suppressions)}");
        if (f.DoNotContact) return new(NextActionKind.StopAll, null, 0, 0, "do_not_contact", "an enrollment is DO_NOT_CONTACT");
        if (f.Stage == LeadStage.Suppressed) return new(NextActionKind.StopAll, null, 0, 0, "stage_suppressed", "the contact's stage is SUPPRESSED");
        if (f.ReachableChannels.Count == 0)
            return new(NextActionKind.StopAll, null, 0, 0, "no_reachable_channel", "no channel with an address, consent not opted out, not DNC");

        if (f.LastInboundAt is { } inbound && (f.LastTouchAt is null || inbound > f.LastTouchAt) && f.Now - inbound <= ReplyAnswerWindow)
            return new(NextActionKind.Send, Pick(f, f.LastInboundChannel), 0, 90, "reply_awaiting_answer",
                $"they wrote last ({inbound:O}) and nobody answered");

        if (f.RecentEvents.FirstOrDefault(e => e.ScoreDelta <= NegativeEventScore && f.Now - e.At < NegativeCooldown) is { } negative)
            return Cooldown(f, negative.At + NegativeCooldown, 10, "negative_cooldown", $"{negative.Type} at {negative.At:O}");
        if (f.FatigueScore >= FatigueLimit)
            return Cooldown(f, f.Now + TimeSpan.FromDays(1), 10, "fatigue", $"fatigue score {f.FatigueScore} at or above {FatigueLimit}");

        var open = f.OpenEnrollments.Where(e => e.CampaignActive && !e.Paused).ToList();
        if (open.Where(e => e.NextActionAt is not null).OrderBy(e => e.NextActionAt).FirstOrDefault() is { } due)
        {
            var delay = Minutes(due.NextActionAt!.Value - f.Now);
            return new(NextActionKind.Send, Pick(f, due.NextChannel), delay, delay == 0 ? 70 : 60,
                delay == 0 ? "campaign_touch_due" : "campaign_touch_scheduled", $"enrollment {due.EnrollmentId} of campaign {due.CampaignId}");
        }
        if (open.Count > 0)
            return new(NextActionKind.DoNothing, null, 0, 30, "awaiting_touch_outcome", "a submitted touch has not reported back yet");

        if (f.ReactivationAfter is { } after)
            return after <= f.Now
                ? new(NextActionKind.Reactivate, Pick(f, null), 0, 40, "reactivation_due", $"reactivation_after {after:O} has passed")
                : Cooldown(f, after, 5, "waiting_for_reactivation", $"reactivation_after {after:O}");
        return new(NextActionKind.DoNothing, null, 0, 0, "no_open_sequence", "no open enrollment and no reactivation date");
    }

    static NextAction Cooldown(LeadFacts f, DateTimeOffset until, int priority, string reason, string detail) =>
        new(NextActionKind.Cooldown, null, Minutes(until - f.Now), priority, reason, detail);

    static Channel Pick(LeadFacts f, Channel? wanted) =>
        wanted is { } w && f.ReachableChannels.Contains(w) ? w : Preference.FirstOrDefault(f.ReachableChannels.Contains, f.ReachableChannels[0]);

    static int Minutes(TimeSpan span) => span <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(span.TotalMinutes);
}
