using System.Text.RegularExpressions;

namespace Touchpoint.Domain.Crm;

/// <summary>One remembered fact with the message it came from (seed 002 facts).</summary>
public sealed record MemoryFact(string Key, string Value, Guid? SourceMessageId);

/// <summary>A message as the memory sees it.</summary>
public sealed record MemoryMessage(Guid Id, bool Inbound, string Text);

public sealed record MemorySnapshot(string? Summary, IReadOnlyList<MemoryFact> Facts);

/// <summary>
/// The offline summarizer: folds new messages into the previous summary and facts, deterministically. Facts
/// are extracted by rules (email, name, budget, preferred day, interest); a newer value for a key replaces the
/// older one and records its own source message. The summary is short on purpose: it plus the facts plus the
/// last few messages are the agent's whole context.
/// </summary>
public static partial class OfflineSummarizer
{
    public const int RecentMessages = 6;

    public static MemorySnapshot Update(MemorySnapshot previous, IReadOnlyList<MemoryMessage> newMessages, int totalMessages)
    {
        var facts = previous.Facts.ToDictionary(f => f.Key, StringComparer.Ordinal);
        foreach (var m in newMessages.Where(m => m.Inbound))
            foreach (var (key, value) in Extract(m.Text))
                facts[key] = new MemoryFact(key, value, m.Id);

        var lastInbound = newMessages.LastOrDefault(m => m.Inbound)?.Text ?? "";
        var intent = lastInbound.Length == 0 ? "none" : OfflineIntents.Answer(lastInbound).Intent;
        var factText = facts.Count == 0 ? "none" : string.Join(", ", facts.Values.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
        var summary = $"{totalMessages} messages so far; latest intent: {intent}; last said: \"{Clip(lastInbound, 140)}\"; facts: {factText}.";
        return new MemorySnapshot(summary, [.. facts.Values.OrderBy(f => f.Key, StringComparer.Ordinal)]);
    }

    static IEnumerable<(string Key, string Value)> Extract(string text)
    {
        if (EmailPattern().Match(text) is { Success: true } email) yield return ("email", email.Value.ToLowerInvariant());
        if (NamePattern().Match(text) is { Success: true } name) yield return ("name", name.Groups["name"].Value);
        if (BudgetPattern().Match(text) is { Success: true } budget) yield return ("budget", budget.Value.Trim());
        if (DayPattern().Match(text) is { Success: true } day) yield return ("preferred_day", day.Value.ToLowerInvariant());
        if (InterestPattern().Match(text) is { Success: true } interest) yield return ("interest", interest.Groups["what"].Value.Trim().TrimEnd('.', '!', '?'));
    }

    static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?i:my name is|i am|i'm|me llamo|soy)\s+(?<name>[A-ZÁÉÍÓÚÑ][\p{L}'-]+)")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"(?:[$€£]\s?\d[\d,.]*\s?[kK]?|\d[\d,.]*\s?(?:usd|eur|dollars|dólares))", RegexOptions.IgnoreCase)]
    private static partial Regex BudgetPattern();

    [GeneratedRegex(@"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miércoles|jueves|viernes)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DayPattern();

    [GeneratedRegex(@"(?:interested in|looking for|me interesa)\s+(?<what>[^.!?\n]{2,60})", RegexOptions.IgnoreCase)]
    private static partial Regex InterestPattern();
}
