using System.Text.Json.Serialization;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Crm;

/// <summary>What the dispatcher does with one inbound conversation message.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DispatchOutcome>))]
public enum DispatchOutcome
{
    /// <summary>The AI stays silent (HUMAN_MODE column, claimed by a human, keyword message).</summary>
    [JsonStringEnumMemberName("silenced")] Silenced,
    /// <summary>Nothing may go out to this person at all (consent revoked, suppression, do-not-contact).</summary>
    [JsonStringEnumMemberName("blocked")] Blocked,
    /// <summary>The AI already sent its daily maximum in this conversation.</summary>
    [JsonStringEnumMemberName("capped")] Capped,
    /// <summary>Hand the conversation to a human, with the reason.</summary>
    [JsonStringEnumMemberName("escalate")] Escalate,
    /// <summary>Run the agent; its answer waits as a draft for a human's approval (HYBRID or escalated).</summary>
    [JsonStringEnumMemberName("draft")] Draft,
    /// <summary>Run the agent and send its answer.</summary>
    [JsonStringEnumMemberName("reply")] Reply,
}

public sealed record GateStep(string Gate, string Verdict, string Detail);

public sealed record GateResult(DispatchOutcome Outcome, string Reason, IReadOnlyList<GateStep> Trace);

/// <summary>Everything the gates look at, gathered by the host before any model is called.</summary>
public sealed record GateInput(
    ColumnMode Mode,
    bool ClaimedByHuman,
    bool Escalated,
    bool IsKeywordMessage,
    string? UnreachableReason,
    int AiMessagesToday,
    EffectiveConfig Config,
    string InboundText,
    IReadOnlyCollection<string> ContactTags);

/// <summary>
/// The fast gates (seed 002 "Fast Gates &amp; Guardrails"), cheapest and most protective first; the first gate
/// that stops ends the evaluation and names the reason. Order (docs/crm.md):
/// human_mode → keyword → reachability (consent/suppression) → max_messages_per_day → prohibited_topics →
/// escalate_on_tags → agent.
/// </summary>
public static class DispatchGates
{
    public const string HumanMode = "human_mode";
    public const string Keyword = "keyword";
    public const string Reachability = "reachability";
    public const string MaxMessagesPerDay = "max_messages_per_day";
    public const string ProhibitedTopics = "prohibited_topics";
    public const string EscalateOnTags = "escalate_on_tags";
    public const string Agent = "agent";

    public static readonly IReadOnlyList<string> Order =
        [HumanMode, Keyword, Reachability, MaxMessagesPerDay, ProhibitedTopics, EscalateOnTags, Agent];

    public static GateResult Evaluate(GateInput input)
    {
        var trace = new List<GateStep>(Order.Count);
        GateResult Stop(string gate, DispatchOutcome outcome, string reason)
        {
            trace.Add(new GateStep(gate, "stop", reason));
            return new GateResult(outcome, reason, trace);
        }
        void Pass(string gate, string detail) => trace.Add(new GateStep(gate, "pass", detail));

        if (input.Mode == ColumnMode.HumanMode) return Stop(HumanMode, DispatchOutcome.Silenced, "column is HUMAN_MODE: the AI is silent");
        if (input.ClaimedByHuman) return Stop(HumanMode, DispatchOutcome.Silenced, "a human claimed the conversation");
        Pass(HumanMode, $"column is {WireName.Of(input.Mode)}");

        if (input.IsKeywordMessage) return Stop(Keyword, DispatchOutcome.Silenced, "STOP/START/HELP keyword or opt-out-like text: answered by the keyword pipeline or a human review");
        Pass(Keyword, "not a keyword message");

        if (input.UnreachableReason is { } unreachable)
            return Stop(Reachability, DispatchOutcome.Blocked, $"nothing may be sent: {unreachable}");
        Pass(Reachability, "consent and suppressions allow a reply");

        if (input.Config.MaxMessagesPerDay is { } max && input.AiMessagesToday >= max)
            return Stop(MaxMessagesPerDay, DispatchOutcome.Capped, $"the AI already sent {input.AiMessagesToday} of {max} messages today");
        Pass(MaxMessagesPerDay, input.Config.MaxMessagesPerDay is { } m ? $"{input.AiMessagesToday} of {m} today" : "no daily limit");

        if (TopicMatcher.FirstHit(input.InboundText, input.Config.ProhibitedTopics) is { } topic)
            return Stop(ProhibitedTopics, DispatchOutcome.Escalate, $"guardrail: prohibited topic '{topic}'");
        Pass(ProhibitedTopics, "no prohibited topic");

        var tag = input.ContactTags.FirstOrDefault(t => input.Config.EscalateOnTags.Contains(t, StringComparer.OrdinalIgnoreCase));
        if (tag is not null) return Stop(EscalateOnTags, DispatchOutcome.Escalate, $"escalation tag '{tag}' on the contact");
        Pass(EscalateOnTags, "no escalation tag");

        if (input.Mode == ColumnMode.Hybrid)
            return Stop(Agent, DispatchOutcome.Draft, "HYBRID: the agent drafts, a human approves");
        if (input.Escalated)
            return Stop(Agent, DispatchOutcome.Draft, "escalated: the agent drafts, a human approves");
        trace.Add(new GateStep(Agent, "pass", "AI_MODE: the agent answers"));
        return new GateResult(DispatchOutcome.Reply, "AI_MODE: the agent answers", trace);
    }
}

/// <summary>
/// Escalation checks on what the agent produced (after the fast gates): a proposed tag in escalateOnTags,
/// a hand_off tool call, or confidence below the guardrail. Null when the answer may proceed.
/// </summary>
public static class EscalationRules
{
    public static string? AfterAgent(EffectiveConfig config, double confidence, IEnumerable<string> proposedTags, string? handOffReason)
    {
        if (handOffReason is not null) return $"agent handed off: {handOffReason}";
        var tag = proposedTags.FirstOrDefault(t => config.EscalateOnTags.Contains(t, StringComparer.OrdinalIgnoreCase));
        if (tag is not null) return $"escalation tag '{tag}' proposed by the agent";
        if (confidence < config.MinConfidence)
            return $"low confidence {confidence.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} < {config.MinConfidence.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}";
        return null;
    }
}

/// <summary>
/// Prohibited-topic matching: a topic such as <c>medical_claims</c> hits when the text contains the phrase
/// "medical claims" or its first word ("medical") as a whole word, case-insensitively. Deliberately
/// eager: a false hit only costs a human look, a miss could put a forbidden claim in writing.
/// </summary>
public static class TopicMatcher
{
    public static string? FirstHit(string text, IEnumerable<string> topics)
    {
        var words = Words(text);
        var joined = " " + string.Join(' ', words) + " ";
        foreach (var topic in topics)
        {
            var parts = Words(topic.Replace('_', ' '));
            if (parts.Count == 0) continue;
            if (joined.Contains(" " + string.Join(' ', parts) + " ", StringComparison.Ordinal) || words.Contains(parts[0])) return topic;
        }
        return null;
    }

    static List<string> Words(string text) =>
        [.. text.ToLowerInvariant().Split(static c => !char.IsLetterOrDigit(c)).Where(w => w.Length > 0)];
}

static class SplitExtensions
{
    public static string[] Split(this string text, Func<char, bool> separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !separator(text[i])) continue;
            parts.Add(text[start..i]);
            start = i + 1;
        }
        return [.. parts];
    }
}
