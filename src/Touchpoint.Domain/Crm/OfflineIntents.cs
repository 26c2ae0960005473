namespace Touchpoint.Domain.Crm;

/// <summary>A tool call the offline agent wants to make: the tool and its JSON-ready arguments.</summary>
public sealed record ProposedToolCall(string Tool, IReadOnlyDictionary<string, object?> Arguments);

/// <summary>The offline agent's reading of one inbound text: intent, how sure, the templated answer, tool calls.</summary>
public sealed record OfflineAnswer(string Intent, double Confidence, string Reply, IReadOnlyList<ProposedToolCall> ToolCalls);

/// <summary>
/// The default, deterministic agent (no model): keyword intent rules plus reply templates, so the whole CRM
/// runs and is testable offline. Rules are tried in order; the first that matches wins. Unknown text gets a
/// low confidence on purpose, so the confidence guardrail hands it to a human.
/// </summary>
public static class OfflineIntents
{
    sealed record Rule(string Intent, double Confidence, string[] Cues, string Reply, Func<string, ProposedToolCall[]> Tools);

    static ProposedToolCall Tag(string tag, double confidence, string evidence) => new(CrmTools.TagContact,
        new Dictionary<string, object?> { ["tag"] = tag, ["confidence"] = confidence, ["evidence"] = evidence });

    static readonly Rule[] Rules =
    [
        new("upset", 0.9, ["angry", "furious", "terrible", "worst", "lawyer", "sue ", "scam", "ridiculous", "enojado", "pésimo"],
            "I'm sorry about this. I'm bringing in a member of our team right away.",
            t => [Tag("UPSET_CUSTOMER", 0.9, t)]),
        new("not_interested", 0.85, ["not interested", "no thanks", "no thank you", "no me interesa"],
            "Understood, thanks for letting us know. We won't follow up on this.",
            t => [Tag("NOT_INTERESTED", 0.85, t)]),
        new("meeting", 0.85, ["meeting", "call me", "schedule", "appointment", "book", "demo", "cita", "reunión"],
            "Happy to set up a time. I've proposed a slot; you'll get a confirmation shortly.",
            t => [new(CrmTools.BookMeeting, new Dictionary<string, object?> { ["note"] = t }), Tag("INTENT_APPOINTMENT", 0.8, t)]),
        new("pricing", 0.8, ["price", "pricing", "cost", "how much", "quote", "precio", "cuánto", "cuanto"],
            "Thanks for asking! Our plans start at the entry tier; I can send the details that fit your case.",
            t => [Tag("INTENT_PURCHASE", 0.55, t)]),
        new("greeting", 0.75, ["hello", "hi ", "hey", "hola", "good morning", "buenos días"],
            "Hi! Thanks for reaching out. How can I help you today?",
            _ => []),
        new("thanks", 0.75, ["thank", "gracias"],
            "You're welcome! Anything else I can help with?",
            _ => []),
    ];

    public static OfflineAnswer Answer(string text)
    {
        var padded = " " + text.ToLowerInvariant().Trim() + " ";
        foreach (var rule in Rules)
            if (rule.Cues.Any(c => padded.Contains(c, StringComparison.Ordinal)))
                return new OfflineAnswer(rule.Intent, rule.Confidence, rule.Reply, rule.Tools(text.Trim()));
        return new OfflineAnswer("unknown", 0.3, "Thanks for your message. Let me check with the team and get back to you.", []);
    }
}
