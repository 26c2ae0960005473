using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fluid;

namespace Touchpoint.Features.Messaging;

/// <summary>The outcome of rendering: the text, or why it could not be rendered (never a half-empty message).</summary>
public sealed record RenderResult(string? Text, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Liquid (Fluid) rendering of message bodies and subjects (ARCHITECTURE §4 step 4). Strict: a variable the
/// model does not define is an error naming it, not an empty string — "Hi ," must never reach a person.
/// A defined variable whose value is null renders empty, so <c>{{ contact.firstName | default: "there" }}</c> works.
/// </summary>
public static partial class TemplateRenderer
{
    static readonly FluidParser Parser = new();
    static readonly TemplateOptions Options = new() { StrictVariables = true };

    static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "if", "elsif", "else", "endif", "unless", "endunless", "case", "when", "endcase", "for", "endfor", "in", "assign",
        "capture", "endcapture", "and", "or", "contains", "true", "false", "nil", "null", "empty", "blank", "limit", "offset",
        "reversed", "break", "continue", "cycle", "raw", "endraw", "comment", "endcomment", "increment", "decrement",
    };

    public static string? Validate(string template) =>
        Parser.TryParse(template, out _, out var error) ? null : $"template does not parse: {error}";

    public static RenderResult Render(string template, IReadOnlyDictionary<string, object?> model)
    {
        if (!Parser.TryParse(template, out var parsed, out var error))
            return new(null, $"template does not parse: {error}");
        var context = new TemplateContext(Options);
        foreach (var (name, value) in model) context.SetValue(name, value);
        try
        {
            return new(parsed.Render(context), null);
        }
        catch (Exception e) when (e is InvalidOperationException or FluidException or ArgumentException)
        {
            // Fluid's strict-mode message does not name the variable; find the missing path(s) ourselves.
            var missing = UndefinedPaths(template, model);
            return new(null, missing.Count > 0 ? $"undefined variable {string.Join(", ", missing.Select(m => $"'{m}'"))}" : e.Message);
        }
    }

    /// <summary>Dotted names in output and tag expressions that the model does not define (filters, literals and loop/assign names skipped).</summary>
    public static IReadOnlyList<string> UndefinedPaths(string template, IReadOnlyDictionary<string, object?> model)
    {
        var locals = LocalNames().Matches(template).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (Match tag in Expressions().Matches(template))
        {
            var expression = Literals().Replace(tag.Groups["expr"].Value, " ");
            var pipe = expression.IndexOf('|', StringComparison.Ordinal);
            if (pipe >= 0) expression = expression[..pipe]; // filter names and their arguments are not variables
            foreach (Match path in Paths().Matches(expression))
            {
                var segments = path.Value.Split('.');
                if (Keywords.Contains(segments[0]) || locals.Contains(segments[0]) || Defined(model, segments)) continue;
                if (!missing.Contains(path.Value)) missing.Add(path.Value);
            }
        }
        return missing;
    }

    static bool Defined(IReadOnlyDictionary<string, object?> model, string[] segments)
    {
        if (!model.TryGetValue(segments[0], out var current)) return false;
        foreach (var segment in segments.Skip(1))
        {
            if (segment is "size" or "first" or "last") return true;
            if (current is not Dictionary<string, object?> map) return true; // not a map: leave it to Fluid
            if (!map.TryGetValue(segment, out current)) return false;
        }
        return true;
    }

    /// <summary>JSON variables as plain dictionaries/lists/scalars Fluid can walk.</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => FromJson(p.Value)),
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<decimal>(out var d) => d,
        _ => node.ToJsonString(),
    };

    [GeneratedRegex(@"\{\{-?(?<expr>.*?)-?\}\}|\{%-?\s*\w+(?<expr>.*?)-?%\}", RegexOptions.Singleline)]
    private static partial Regex Expressions();

    [GeneratedRegex(@"\{%-?\s*(?:for|assign|capture)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex LocalNames();

    [GeneratedRegex(@"""[^""]*""|'[^']*'")]
    private static partial Regex Literals();

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")]
    private static partial Regex Paths();
}
