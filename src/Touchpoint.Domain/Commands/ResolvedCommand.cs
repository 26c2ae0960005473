namespace Touchpoint.Domain.Commands;

/// <summary>
/// What a command text means: an intent with its arguments and a confidence in [0, 1]. When
/// <see cref="Problem"/> is set the text was not understood well enough to act on (unknown wording, unknown
/// intent, or a missing argument) and <see cref="Intent"/> may still say what was probably meant.
/// </summary>
public sealed record ResolvedCommand(string? Intent, IReadOnlyDictionary<string, string> Arguments, double Confidence, string? Problem)
{
    public bool Understood => Intent is not null && Problem is null;

    public CommandSpec? Spec => CommandCatalog.Find(Intent);

    public static ResolvedCommand NotUnderstood(string problem, string? intent = null) =>
        new(intent, new Dictionary<string, string>(), 0, problem);

    /// <summary>Checks the arguments against the intent's spec, so a resolver (offline or model) can't skip one.</summary>
    public static ResolvedCommand Checked(string intent, IReadOnlyDictionary<string, string> arguments, double confidence)
    {
        if (CommandCatalog.Find(intent) is not { } spec)
            return NotUnderstood($"'{intent}' is not an intent this workspace understands.");
        var missing = spec.Required.Where(a => !arguments.TryGetValue(a, out var v) || string.IsNullOrWhiteSpace(v)).ToList();
        return missing.Count == 0
            ? new(spec.Intent, arguments, Math.Clamp(confidence, 0, 1), null)
            : new(spec.Intent, arguments, Math.Clamp(confidence, 0, 1), $"{spec.Intent} needs {string.Join(" and ", missing)}.");
    }
}
