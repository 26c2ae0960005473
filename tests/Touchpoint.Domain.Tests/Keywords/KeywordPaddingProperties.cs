using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Touchpoint.Domain.Keywords;

namespace Touchpoint.Domain.Tests.Keywords;

public sealed class KeywordPaddingProperties
{
    static readonly string[] AllKeywords =
        [.. KeywordClassifier.OptOutKeywords, .. KeywordClassifier.OptInKeywords, .. KeywordClassifier.HelpKeywords];

    static readonly char[] Padding = [' ', '\t', '\n', '\r', '.', ',', '!', '?', '¡', '¿', '-', '_', '*', '"', '(', ')', ':', ';', '~', '\u00A0'];

    [Property(MaxTest = 500)]
    public Property Padding_a_keyword_with_punctuation_whitespace_and_random_case_never_changes_its_class()
    {
        var padding = Gen.Elements(Padding).ArrayOf().Select(cs => new string(cs));
        var scenario =
            from keyword in Gen.Elements(AllKeywords)
            from before in padding
            from after in padding
            from upperMask in Gen.Elements(true, false).ArrayOf(keyword.Length)
            select (keyword, text: before + Recase(keyword, upperMask) + after);

        // Same class and same canonical keyword ("OPT OUT" and "OPTOUT" share one canonical spelling).
        return Prop.ForAll(scenario.ToArbitrary(), s =>
            KeywordClassifier.Classify(s.text) == KeywordClassifier.Classify(s.keyword)
            && KeywordClassifier.Classify(s.text).Class != KeywordClass.None);
    }

    static string Recase(string keyword, bool[] upperMask) =>
        string.Concat(keyword.Select((c, i) => upperMask[i] ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)));
}
