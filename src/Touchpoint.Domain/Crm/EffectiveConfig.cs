namespace Touchpoint.Domain.Crm;

/// <summary>Where an effective value came from, as the API shows it.</summary>
public static class ConfigOrigin
{
    public const string Column = "column";
    public const string Override = "override";
    public const string Default = "default";
    /// <summary>Guardrail lists: the column's entries plus the conversation's additions.</summary>
    public const string ColumnAndOverride = "column+override";
}

/// <summary>
/// What the dispatcher actually applies to one conversation: column config ⊕ conversation overrides.
/// <see cref="Origins"/> names, per field path, which side each value came from.
/// </summary>
public sealed record EffectiveConfig(
    string AgentId,
    string? Model,
    IReadOnlyList<string> Tools,
    int? FollowUpHours,
    int? MaxMessagesPerDay,
    IReadOnlyList<string> EscalateOnTags,
    IReadOnlyList<string> ProhibitedTopics,
    double MinConfidence,
    IReadOnlyDictionary<string, string> Origins)
{
    public const double DefaultMinConfidence = 0.6;

    /// <summary>
    /// THE merge (docs/crm.md "Effective config"). Rules, field by field:
    /// <list type="bullet">
    /// <item>agentId, model, tools, automations.*, guardrails.minConfidence: an override that is set (not null)
    /// replaces the column's value; otherwise the column's; otherwise the default (offline agent, provider's
    /// model, no tools, no automation limits, 0.6). An override list replaces the column list, so an override
    /// can also narrow the tool whitelist (an empty list = no tools).</item>
    /// <item>guardrails.escalateOnTags and guardrails.prohibitedTopics: the union of both sides. A conversation
    /// can add guardrails but can never switch off the ones its column imposes.</item>
    /// </list>
    /// </summary>
    public static EffectiveConfig Merge(CrmConfig column, CrmConfig overrides)
    {
        var origins = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var agent = Pick("agentId", column.AgentId, overrides.AgentId, CrmTools.OfflineAgentId, origins);
        var model = Pick("model", column.Model, overrides.Model, null, origins);
        var tools = Pick("tools", column.Tools, overrides.Tools, [], origins);
        var followUp = Pick("automations.followUpHours", column.Automations?.FollowUpHours, overrides.Automations?.FollowUpHours, null, origins);
        var perDay = Pick("automations.maxMessagesPerDay", column.Automations?.MaxMessagesPerDay, overrides.Automations?.MaxMessagesPerDay, null, origins);
        var minConfidence = Pick("guardrails.minConfidence", column.Guardrails?.MinConfidence, overrides.Guardrails?.MinConfidence,
            DefaultMinConfidence, origins);
        var escalate = Union("guardrails.escalateOnTags", column.Guardrails?.EscalateOnTags, overrides.Guardrails?.EscalateOnTags, origins);
        var topics = Union("guardrails.prohibitedTopics", column.Guardrails?.ProhibitedTopics, overrides.Guardrails?.ProhibitedTopics, origins);
        return new EffectiveConfig(agent!, model, tools!, followUp, perDay, escalate, topics, minConfidence ?? DefaultMinConfidence, origins);
    }

    static T? Pick<T>(string field, T? column, T? overrides, T? fallback, IDictionary<string, string> origins)
    {
        if (overrides is not null) { origins[field] = ConfigOrigin.Override; return overrides; }
        if (column is not null) { origins[field] = ConfigOrigin.Column; return column; }
        origins[field] = ConfigOrigin.Default;
        return fallback;
    }

    static string[] Union(string field, IReadOnlyList<string>? column, IReadOnlyList<string>? overrides, IDictionary<string, string> origins)
    {
        origins[field] = (column is { Count: > 0 }, overrides is { Count: > 0 }) switch
        {
            (true, true) => ConfigOrigin.ColumnAndOverride,
            (false, true) => ConfigOrigin.Override,
            (true, false) => ConfigOrigin.Column,
            _ => ConfigOrigin.Default,
        };
        return [.. (column ?? []).Concat(overrides ?? []).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
