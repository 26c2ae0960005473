using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Fallback;

/// <summary>
/// Decides, after each outcome of a step's attempt, whether to retry the same channel, wait out its cooldown,
/// switch to the next allowed channel in the step's order, or stop (ARCHITECTURE §4 step 3, seed 004 matrix).
/// </summary>
public static class FallbackEngine
{
    /// <summary>The first channel of a step: the first in order that the contact can be reached on.</summary>
    public static FallbackDecision Start(FallbackRouting routing, IReadOnlySet<Channel> allowedChannels)
    {
        ArgumentNullException.ThrowIfNull(routing);
        foreach (var c in routing.Order)
        {
            if (allowedChannels.Contains(c) && routing.MaxAttempts > 0)
                return new(FallbackAction.SwitchChannel, c, null, "start", $"first allowed channel {WireName.Of(c)}");
        }
        return FallbackDecision.Stop(FallbackDecision.AllChannelsExhausted, "no channel in the step's order is allowed for the contact");
    }

    public static FallbackDecision Decide(FallbackSituation s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var outcome = s.LatestOutcome;
        var current = s.CurrentChannel;
        var name = WireName.Of(current);

        // The person answered: the step's job is over, whatever it was.
        switch (outcome.Kind)
        {
            case OutcomeKind.Replied: return FallbackDecision.Stop("replied", $"reply received on {name}");
            case OutcomeKind.OptedOut: return FallbackDecision.Stop("opted_out", $"opt-out received on {name}");
            case OutcomeKind.Complained: return FallbackDecision.Stop("complained", $"complaint received on {name}");
        }

        // A permanent failure kills this channel for the contact; it is never retried (landline, invalid, 21610, hard bounce).
        Channel? dead = outcome.IsPermanentFailure ? current : null;
        bool Usable(Channel c) => c != dead && s.AllowedChannels.Contains(c);
        int AttemptsOn(Channel c) => s.Attempts.Count(a => a.Channel == c);
        DateTimeOffset? LastOn(Channel c) => s.Attempts.Where(a => a.Channel == c).Select(a => (DateTimeOffset?)a.At).Max();
        var max = s.Routing.MaxAttempts;

        if (Usable(current) && AttemptsOn(current) < max)
        {
            var until = (LastOn(current) ?? s.Now) + s.Routing.Cooldown;
            var why = outcome.Kind is OutcomeKind.Failed or OutcomeKind.Undelivered or OutcomeKind.Bounced ? "transient_failure" : "no_reply";
            return s.Now >= until
                ? new(FallbackAction.RetrySameChannel, current, null, why, $"{why} on {name}: attempt {AttemptsOn(current) + 1}/{max}")
                : new(FallbackAction.WaitCooldown, current, until, "cooldown", $"{why} on {name}: next attempt after cooldown");
        }

        // A touch that went out still gets its reply window before we move to another channel.
        if (outcome.Kind is OutcomeKind.Sent or OutcomeKind.Delivered && LastOn(current) is { } last && s.Now < last + s.Routing.Cooldown)
            return new(FallbackAction.WaitCooldown, current, last + s.Routing.Cooldown, "awaiting_reply", $"waiting for a reply to the last {name} attempt");

        var leaveReason = dead is not null ? "channel_dead" : !s.AllowedChannels.Contains(current) ? "channel_not_allowed" : "channel_exhausted";
        foreach (var next in s.Routing.Order)
        {
            if (next == current || !Usable(next) || AttemptsOn(next) >= max) continue;
            var detail = $"{leaveReason}: {name} → {WireName.Of(next)}{(outcome.Error is { } e ? $" ({e.Code}: {e.Meaning})" : "")}";
            // Coming back to a channel used earlier in the step still respects its cooldown.
            if (LastOn(next) is { } prior && s.Now < prior + s.Routing.Cooldown)
                return new(FallbackAction.WaitCooldown, next, prior + s.Routing.Cooldown, "cooldown", detail, dead);
            return new(FallbackAction.SwitchChannel, next, null, leaveReason, detail, dead);
        }

        return FallbackDecision.Stop(FallbackDecision.AllChannelsExhausted, $"{leaveReason} on {name} and no other channel in the order has attempts left", dead);
    }
}
