using Touchpoint.Domain.Keywords;

namespace Touchpoint.Domain.Tests.Keywords;

public sealed class KeywordClassifierTests
{
    [Theory]
    [InlineData("STOP", "STOP")]
    [InlineData("Stop", "STOP")]
    [InlineData(" stop! ", "STOP")]
    [InlineData("STÓP", "STOP")]
    [InlineData("stop.", "STOP")]
    [InlineData("\tStOp\r\n", "STOP")]
    [InlineData("StopAll", "STOPALL")]
    [InlineData("Unsubscribe", "UNSUBSCRIBE")]
    [InlineData("cancel", "CANCEL")]
    [InlineData("END", "END")]
    [InlineData("quit!!!", "QUIT")]
    [InlineData("Revoke", "REVOKE")]
    [InlineData("optout", "OPTOUT")]
    [InlineData("opt-out", "OPTOUT")]
    [InlineData("Opt Out.", "OPTOUT")]
    [InlineData("OPT  OUT", "OPTOUT")]
    [InlineData("baja", "BAJA")]
    [InlineData("¡Alto!", "ALTO")]
    [InlineData("PARAR", "PARAR")]
    [InlineData("Cancelar.", "CANCELAR")]
    [InlineData("¿BÁJA?", "BAJA")]
    public void Exact_opt_out_keywords_are_binding_opt_outs(string text, string keyword)
    {
        var match = KeywordClassifier.Classify(text);
        Assert.Equal(KeywordClass.OptOut, match.Class);
        Assert.Equal(keyword, KeywordText.Compact(match.Keyword));
        Assert.True(match.IsBinding);
    }

    [Theory]
    [InlineData("START", "START")]
    [InlineData("yes", "YES")]
    [InlineData("Yes!", "YES")]
    [InlineData("unstop", "UNSTOP")]
    [InlineData("Alta", "ALTA")]
    [InlineData("ÁLTA.", "ALTA")]
    public void Exact_opt_in_keywords_are_opt_ins(string text, string keyword)
    {
        var match = KeywordClassifier.Classify(text);
        Assert.Equal(KeywordClass.OptIn, match.Class);
        Assert.Equal(keyword, match.Keyword);
    }

    [Theory]
    [InlineData("HELP", "HELP")]
    [InlineData("help?", "HELP")]
    [InlineData("Info", "INFO")]
    [InlineData("ayuda", "AYUDA")]
    [InlineData("¿Ayúda?", "AYUDA")]
    public void Exact_help_keywords_ask_for_help(string text, string keyword)
    {
        var match = KeywordClassifier.Classify(text);
        Assert.Equal(KeywordClass.Help, match.Class);
        Assert.Equal(keyword, match.Keyword);
    }

    [Theory]
    [InlineData("stop texting me")]
    [InlineData("please stop texting me")]
    [InlineData("Please STOP")]
    [InlineData("no more messages")]
    [InlineData("remove me")]
    [InlineData("Remove me from your list!")]
    [InlineData("unsubscribe me please")]
    [InlineData("Don't text me again")]
    [InlineData("do not contact me")]
    [InlineData("take me off this list")]
    [InlineData("leave me alone")]
    [InlineData("wrong number")]
    [InlineData("dejen de escribirme")]
    [InlineData("no me escriban más")]
    [InlineData("No me llamen por favor")]
    [InlineData("quiero darme de baja")]
    [InlineData("NO MÁS MENSAJES")]
    [InlineData("bórrenme de su lista")]
    [InlineData("número equivocado")]
    public void Free_text_that_reads_like_an_opt_out_is_flagged_for_review_not_binding(string text)
    {
        var match = KeywordClassifier.Classify(text);
        Assert.Equal(KeywordClass.OptOutLike, match.Class);
        Assert.NotNull(match.Keyword);
        Assert.False(match.IsBinding);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?!")]
    [InlineData(null)]
    [InlineData("Sounds good, see you Tuesday")]
    [InlineData("I stopped by the office yesterday")]
    [InlineData("What time does the store close?")]
    [InlineData("Yes please, book me for 3pm")]
    [InlineData("Hola, me interesa. ¿Cuánto cuesta?")]
    [InlineData("the weekend")]
    [InlineData("bajamos mañana")]
    [InlineData("STOPS")]
    public void Ordinary_text_is_not_a_keyword(string? text)
    {
        Assert.Equal(KeywordMatch.NoMatch, KeywordClassifier.Classify(text));
    }

    [Fact]
    public void Every_listed_keyword_classifies_as_its_own_list()
    {
        foreach (var k in KeywordClassifier.OptOutKeywords) Assert.Equal(KeywordClass.OptOut, KeywordClassifier.Classify(k).Class);
        foreach (var k in KeywordClassifier.OptInKeywords) Assert.Equal(KeywordClass.OptIn, KeywordClassifier.Classify(k).Class);
        foreach (var k in KeywordClassifier.HelpKeywords) Assert.Equal(KeywordClass.Help, KeywordClassifier.Classify(k).Class);
    }

    [Theory]
    [InlineData("  Opt-Out!! ", "OPT OUT")]
    [InlineData("Don't", "DONT")]
    [InlineData("No me escriban más", "NO ME ESCRIBAN MAS")]
    [InlineData("mañana", "MANANA")]
    public void Folding_removes_case_accents_apostrophes_and_punctuation(string text, string folded)
    {
        Assert.Equal(folded, KeywordText.Fold(text));
    }
}
