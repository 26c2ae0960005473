using System.Text.RegularExpressions;

namespace Touchpoint.Domain.Commands;

/// <summary>
/// The structured form <c>intent key=value key="quoted value"</c> (e.g. <c>lead.inspect contactId=…</c>), for
/// scripts and exact operators. Lead keys (contactId, externalId, phone, email, lead) become <c>lead</c> plus
/// <c>leadBy</c>; campaign keys (campaign, campaignId, name) become <c>campaign</c>.
/// </summary>
public static partial class StructuredCommand
{
    static readonly Dictionary<string, (string Argument, string? By)> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lead"] = (CommandArguments.Lead, null), ["contact"] = (CommandArguments.Lead, null),
        ["contactId"] = (CommandArguments.Lead, "contactId"), ["id"] = (CommandArguments.Lead, "contactId"),
        ["externalId"] = (CommandArguments.Lead, "externalId"), ["phone"] = (CommandArguments.Lead, "phone"),
        ["email"] = (CommandArguments.Lead, "email"),
        ["campaign"] = (CommandArguments.Campaign, null), ["campaignId"] = (CommandArguments.Campaign, null),
        ["campaignName"] = (CommandArguments.Campaign, null), ["name"] = (CommandArguments.Campaign, null),
    };

    /// <summary>Null when the text does not start with a dotted intent name; otherwise the checked command.</summary>
    public static ResolvedCommand? TryParse(string text)
    {
        var head = Head().Match(text);
        if (!head.Success) return null;
        var intent = head.Groups["intent"].Value.ToLowerInvariant();
        var rest = text[head.Length..];
        var arguments = new Dictionary<string, string>();
        var consumed = 0;
        foreach (Match pair in Pair().Matches(rest))
        {
            if (rest[consumed..pair.Index].Trim().Length > 0)
                return ResolvedCommand.NotUnderstood($"Could not read '{rest[consumed..pair.Index].Trim()}'; write arguments as key=value.", intent);
            consumed = pair.Index + pair.Length;
            var key = pair.Groups["key"].Value;
            var value = pair.Groups["quoted"].Success ? pair.Groups["quoted"].Value : pair.Groups["bare"].Value;
            if (!Keys.TryGetValue(key, out var target))
                return ResolvedCommand.NotUnderstood($"Unknown argument '{key}'.", intent);
            arguments[target.Argument] = value;
            if (target.By is not null) arguments[CommandArguments.LeadBy] = target.By;
        }
        if (rest[consumed..].Trim().Length > 0)
            return ResolvedCommand.NotUnderstood($"Could not read '{rest[consumed..].Trim()}'; write arguments as key=value.", intent);
        return ResolvedCommand.Checked(intent, arguments, 1.0);
    }

    [GeneratedRegex(@"^\s*(?<intent>[a-z]+\.[a-z_]+)(?=\s|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Head();

    [GeneratedRegex(@"\s*(?<key>[A-Za-z]+)\s*=\s*(?:""(?<quoted>[^""]*)""|'(?<quoted>[^']*)'|(?<bare>\S+))", RegexOptions.CultureInvariant)]
    private static partial Regex Pair();
}
