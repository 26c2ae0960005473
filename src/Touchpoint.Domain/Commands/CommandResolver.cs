using System.Text.RegularExpressions;

namespace Touchpoint.Domain.Commands;

/// <summary>
/// The offline resolver: deterministic, no model, English and Spanish. Structured text
/// (<c>lead.inspect contactId=…</c>) is exact (confidence 1); phrasings are matched against an ordered table of
/// patterns over the accent-folded, lower-cased text, and arguments are cut from the original text so names
/// keep their case. The first pattern that matches wins; its confidence says how explicit the wording was.
/// </summary>
public static class CommandResolver
{
    public const int MaxLength = 500;

    sealed record Phrasing(string Intent, Regex Pattern, double Confidence);

    const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    const string Please = @"^(?:(?:please|por\s+favor)\s+)?";
    const string LeadWord = @"(?:(?:the\s+|el\s+|al\s+|a\s+)?(?:lead|contact|contacto|cliente|prospecto|person|persona)\s+)";
    const string CampaignWord = @"(?:(?:the\s+|la\s+)?(?:campaign|campana)\s+)";
    const string OptionalCampaignWord = @"(?:the\s+|la\s+)?(?:(?:campaign|campana)\s+)?";
    // A phone number may be written with spaces: "(415) 555-0100".
    const string Lead = @"(?<lead>\+?\(?\d[\d ().-]{5,}\d|\S+)";
    const string Campaign = @"(?<campaign>\S.*?)";
    const string CampaignTail = @"(?:\s+(?:campaign))?$";

    static Phrasing P(string intent, string pattern, double confidence) => new(intent, new Regex(pattern, Options), confidence);

    // Order matters: the specific campaign and enroll phrasings come before the loose "show X" of lead.inspect.
    static readonly Phrasing[] Phrasings =
    [
        P(CommandIntents.SystemStatus, Please + @"(?:(?:show|get|check|what\s+is|whats|what's)\s+(?:me\s+)?(?:the\s+)?)?(?:system|systems|platform)\s+(?:status|health)$", 0.95),
        P(CommandIntents.SystemStatus, Please + @"(?:(?:show|get|check)\s+)?(?:status|health)(?:\s+of\s+the\s+system)?$", 0.85),
        P(CommandIntents.SystemStatus, Please + @"how\s+is\s+the\s+system(?:\s+doing)?$", 0.85),
        P(CommandIntents.SystemStatus, Please + @"(?:(?:muestra(?:me)?|ver|dame)\s+)?(?:el\s+)?(?:estado|salud)\s+del\s+sistema$", 0.95),
        P(CommandIntents.SystemStatus, Please + @"(?:(?:muestra(?:me)?|ver|dame)\s+)?(?:el\s+)?estado$", 0.8),
        P(CommandIntents.SystemStatus, Please + @"como\s+(?:esta|va)\s+el\s+sistema$", 0.85),

        P(CommandIntents.LeadEnroll, Please + @"(?:enroll|enrol|add|put|subscribe)\s+" + LeadWord + "?" + Lead + @"\s+(?:in|into|to|on)\s+" + OptionalCampaignWord + Campaign + CampaignTail, 0.9),
        P(CommandIntents.LeadEnroll, Please + @"(?:inscrib[ea]r?|inscribe|agrega(?:r)?|anad(?:e|ir)|mete(?:r)?|enrola(?:r)?)\s+" + LeadWord + "?" + Lead + @"\s+(?:en|a)\s+" + OptionalCampaignWord + Campaign + "$", 0.9),

        P(CommandIntents.CampaignPause, Please + @"(?:pause|halt|suspend|stop)\s+" + CampaignWord + Campaign + "$", 0.95),
        P(CommandIntents.CampaignPause, Please + @"pause\s+(?:the\s+)?" + Campaign + CampaignTail, 0.8),
        P(CommandIntents.CampaignPause, Please + @"(?:pausa(?:r)?|deten(?:er)?|suspende(?:r)?|para(?:r)?)\s+" + CampaignWord + Campaign + "$", 0.95),
        P(CommandIntents.CampaignPause, Please + @"pausa(?:r)?\s+" + Campaign + "$", 0.8),

        P(CommandIntents.CampaignResume, Please + @"(?:resume|unpause|restart|continue|reactivate)\s+" + CampaignWord + Campaign + "$", 0.95),
        P(CommandIntents.CampaignResume, Please + @"(?:resume|unpause)\s+(?:the\s+)?" + Campaign + CampaignTail, 0.8),
        P(CommandIntents.CampaignResume, Please + @"(?:reanuda(?:r)?|reactiva(?:r)?|continua(?:r)?|despausa(?:r)?)\s+" + OptionalCampaignWord + Campaign + "$", 0.9),

        P(CommandIntents.CampaignStats, Please + @"(?:(?:show|get|give\s+me)\s+(?:me\s+)?(?:the\s+)?)?(?:stats|statistics|metrics|numbers|results|funnel)\s+(?:for|of|on)\s+" + OptionalCampaignWord + Campaign + CampaignTail, 0.9),
        P(CommandIntents.CampaignStats, Please + @"(?:show\s+)?campaign\s+(?:stats|statistics|metrics|funnel)\s+(?:for\s+)?" + Campaign + "$", 0.9),
        P(CommandIntents.CampaignStats, Please + @"how\s+is\s+" + CampaignWord + Campaign + @"\s+(?:doing|going|performing)$", 0.85),
        P(CommandIntents.CampaignStats, Please + @"(?:(?:muestra(?:me)?|ver|dame)\s+(?:las\s+|los\s+)?)?(?:estadisticas|metricas|resultados|numeros|embudo)\s+(?:de\s+|del\s+)?" + OptionalCampaignWord + Campaign + "$", 0.9),
        P(CommandIntents.CampaignStats, Please + @"como\s+va\s+" + CampaignWord + Campaign + "$", 0.85),

        P(CommandIntents.LeadInspect, Please + @"(?:inspect|show|view|open|display|lookup|look\s+up|find|get)\s+(?:me\s+)?" + LeadWord + Lead + "$", 0.9),
        P(CommandIntents.LeadInspect, Please + @"(?:inspect|lookup|look\s+up|who\s+is)\s+" + Lead + "$", 0.8),
        P(CommandIntents.LeadInspect, Please + @"(?:inspecciona(?:r)?|muestra(?:me)?|mostrar|ver|abre|abrir|busca(?:r)?)\s+" + LeadWord + Lead + "$", 0.9),
        P(CommandIntents.LeadInspect, Please + @"(?:inspecciona(?:r)?|busca(?:r)?|quien\s+es)\s+(?:a\s+)?" + Lead + "$", 0.8),
    ];

    public static ResolvedCommand Resolve(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return ResolvedCommand.NotUnderstood("The command is empty.");
        if (text.Length > MaxLength) return ResolvedCommand.NotUnderstood($"Commands are limited to {MaxLength} characters.");
        var cleaned = CommandText.Clean(text);
        if (StructuredCommand.TryParse(cleaned) is { } structured) return structured;

        var folded = CommandText.Fold(cleaned);
        folded = Regex.Replace(folded, @"\s", " "); // same length: tabs and newlines become spaces
        foreach (var phrasing in Phrasings)
        {
            var match = phrasing.Pattern.Match(folded);
            if (!match.Success) continue;
            var arguments = new Dictionary<string, string>();
            foreach (var name in new[] { CommandArguments.Lead, CommandArguments.Campaign })
                if (match.Groups[name] is { Success: true } g) arguments[name] = CommandText.Value(cleaned.Substring(g.Index, g.Length));
            return ResolvedCommand.Checked(phrasing.Intent, arguments, phrasing.Confidence);
        }
        return ResolvedCommand.NotUnderstood("Not understood. Try one of the examples, or the structured form 'intent key=value'.");
    }
}
