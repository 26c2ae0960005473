using System.Globalization;
using System.Text;

namespace Touchpoint.Domain.Keywords;

/// <summary>
/// Folds inbound text to the form keywords are compared in: upper case, accents removed, apostrophes dropped
/// ("don't" → DONT), every other non-letter/digit turned into a single space, trimmed.
/// </summary>
public static class KeywordText
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            // Accents are separate combining marks after FormD: dropping them turns "STÓP" into "STOP", "más" into "MAS".
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            if (ch is '\'' or '\u2019' or '\u2018' or '`' or '\u00B4') continue;
            if (char.IsLetterOrDigit(ch))
            {
                if (pendingSpace && sb.Length > 0) sb.Append(' ');
                pendingSpace = false;
                sb.Append(char.ToUpperInvariant(ch));
            }
            else
            {
                pendingSpace = true;
            }
        }
        return sb.ToString();
    }

    /// <summary>The folded text without spaces, so "opt-out", "Opt Out." and "OPTOUT" compare equal.</summary>
    public static string Compact(string? text) => Fold(text).Replace(" ", "", StringComparison.Ordinal);
}
