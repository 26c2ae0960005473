using System.Collections.Frozen;

namespace Touchpoint.Domain.Keywords;

/// <summary>
/// Classifies inbound text as an opt-out, opt-in or help keyword (exact match of the whole message, insensitive
/// to case, accents, punctuation and whitespace — CTIA/TCPA keyword handling), else flags text that reads like
/// an opt-out for human review. An exact keyword is binding; "please stop texting me" is not a keyword.
/// </summary>
public static class KeywordClassifier
{
    public static readonly IReadOnlyList<string> OptOutKeywords =
        ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT", "BAJA", "ALTO", "PARAR", "CANCELAR"];

    public static readonly IReadOnlyList<string> OptInKeywords = ["START", "YES", "UNSTOP", "ALTA"];

    public static readonly IReadOnlyList<string> HelpKeywords = ["HELP", "INFO", "AYUDA"];

    // Compact form → (class, canonical keyword). "OPT OUT" and "OPTOUT" share a compact form on purpose.
    static readonly FrozenDictionary<string, KeywordMatch> Exact = BuildExact();

    public static KeywordMatch Classify(string? text)
    {
        var compact = KeywordText.Compact(text);
        if (compact.Length == 0) return KeywordMatch.NoMatch;
        if (Exact.TryGetValue(compact, out var exact)) return exact;
        var phrase = OptOutLikePhrases.FindIn(KeywordText.Fold(text));
        return phrase is null ? KeywordMatch.NoMatch : new KeywordMatch(KeywordClass.OptOutLike, phrase);
    }

    static FrozenDictionary<string, KeywordMatch> BuildExact()
    {
        var map = new Dictionary<string, KeywordMatch>(StringComparer.Ordinal);
        void Add(IEnumerable<string> words, KeywordClass cls)
        {
            foreach (var w in words) map.TryAdd(KeywordText.Compact(w), new KeywordMatch(cls, w));
        }
        Add(OptOutKeywords, KeywordClass.OptOut);
        Add(OptInKeywords, KeywordClass.OptIn);
        Add(HelpKeywords, KeywordClass.Help);
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
