using System.Globalization;
using System.Text;

namespace Touchpoint.Domain.Commands;

/// <summary>Text folding for matching: same length as the input, so a match's indexes cut the original text.</summary>
public static class CommandText
{
    /// <summary>Lower-cases and drops accents one character at a time ("Campaña" → "campana"), keeping positions.</summary>
    public static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            var letter = decomposed.Length > 0 && CharUnicodeInfo.GetUnicodeCategory(decomposed[0]) != UnicodeCategory.NonSpacingMark
                ? decomposed[0] : c;
            folded.Append(char.ToLowerInvariant(letter));
        }
        return folded.ToString();
    }

    /// <summary>Trims whitespace, Spanish opening marks and closing punctuation ("¿estado del sistema?").</summary>
    public static string Clean(string text) => text.Trim().TrimStart('¿', '¡').TrimEnd('?', '!', '.', ';').Trim();

    /// <summary>An argument value: trimmed and without surrounding quotes.</summary>
    public static string Value(string text)
    {
        var v = text.Trim().TrimEnd('?', '!', '.', ',', ';').Trim();
        return v.Length >= 2 && (v[0] is '"' or '\'' or '“') && (v[^1] is '"' or '\'' or '”') ? v[1..^1].Trim() : v;
    }
}
