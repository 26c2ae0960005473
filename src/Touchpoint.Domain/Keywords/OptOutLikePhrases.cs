namespace Touchpoint.Domain.Keywords;

/// <summary>
/// Phrases (in folded form: upper case, no accents, no apostrophes) that make free text read like an opt-out.
/// Matching is on whole words, so "STOPPED BY" does not match "STOP". A hit is never binding: it pauses the
/// enrollment and opens a review, because "don't stop" or "cancel my appointment" must not revoke consent.
/// </summary>
public static class OptOutLikePhrases
{
    public static readonly IReadOnlyList<string> Phrases =
    [
        // A strong opt-out word anywhere in a longer message ("STOP please", "unsubscribe me").
        "STOP", "STOPALL", "UNSUBSCRIBE", "OPTOUT", "OPT OUT", "OPT ME OUT",
        "REMOVE ME", "REMOVE MY NUMBER", "REMOVE MY EMAIL", "TAKE ME OFF", "NO MORE",
        "DONT TEXT", "DONT CALL", "DONT CONTACT", "DONT MESSAGE", "DONT EMAIL", "DONT WRITE",
        "DO NOT TEXT", "DO NOT CALL", "DO NOT CONTACT", "DO NOT MESSAGE", "DO NOT EMAIL",
        "LEAVE ME ALONE", "WRONG NUMBER", "LOSE MY NUMBER",
        // Spanish.
        "DEJEN DE", "DEJA DE", "DEJE DE", "NO ME ESCRIBAN", "NO ME ESCRIBAS", "NO ME ESCRIBA",
        "NO ME LLAMEN", "NO ME LLAMES", "NO ME CONTACTEN", "NO ME MANDEN", "NO ME ENVIEN",
        "NO MAS MENSAJES", "NO MAS", "DAR DE BAJA", "DARME DE BAJA", "DE BAJA", "BORRENME", "BORRAME",
        "ELIMINENME", "QUITENME", "SACAME", "SAQUENME", "NO QUIERO RECIBIR", "NUMERO EQUIVOCADO",
    ];

    /// <summary>The first phrase found as whole words in already folded text, or null.</summary>
    public static string? FindIn(string folded)
    {
        if (folded.Length == 0) return null;
        var padded = " " + folded + " ";
        foreach (var phrase in Phrases)
        {
            if (padded.Contains(" " + phrase + " ", StringComparison.Ordinal)) return phrase;
        }
        return null;
    }
}
