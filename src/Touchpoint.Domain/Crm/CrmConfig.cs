using System.Text.Json;
using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Crm;

/// <summary>
/// A column's "brain" (seed 002 <c>crm_column.config</c>), and — with the same shape — a conversation's overrides.
/// Every member is optional: null means "not set here" (inherit), which is what makes the merge in
/// <see cref="EffectiveConfig.Merge"/> well defined.
/// </summary>
public sealed record CrmConfig(
    string? AgentId = null,
    string? Model = null,
    IReadOnlyList<string>? Tools = null,
    AutomationSettings? Automations = null,
    GuardrailSettings? Guardrails = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static CrmConfig Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new CrmConfig() : JsonSerializer.Deserialize<CrmConfig>(json, Json) ?? new CrmConfig();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Validation messages keyed by the field path under <paramref name="prefix"/>.</summary>
    public IEnumerable<(string Field, string Message)> Validate(string prefix)
    {
        foreach (var (i, tool) in (Tools ?? []).Select((t, i) => (i, t)))
            if (!CrmTools.All.Contains(tool))
                yield return ($"{prefix}.tools[{i}]", $"'{tool}' is not a tool; use one of {string.Join(", ", CrmTools.All)}.");
        if (Automations?.FollowUpHours is < 1 or > 24 * 90)
            yield return ($"{prefix}.automations.followUpHours", "must be between 1 and 2160 hours.");
        if (Automations?.MaxMessagesPerDay is < 0 or > 1000)
            yield return ($"{prefix}.automations.maxMessagesPerDay", "must be between 0 and 1000.");
        if (Guardrails?.MinConfidence is < 0 or > 1)
            yield return ($"{prefix}.guardrails.minConfidence", "must be between 0 and 1.");
        if (AgentId is not null && !Guid.TryParse(AgentId, out _) && AgentId != CrmTools.OfflineAgentId)
            yield return ($"{prefix}.agentId", $"must be an agent id or '{CrmTools.OfflineAgentId}'.");
    }
}

public sealed record AutomationSettings(int? FollowUpHours = null, int? MaxMessagesPerDay = null);

/// <summary>
/// <see cref="MinConfidence"/>: an agent answer below it is not sent but handed to a human (default
/// <see cref="EffectiveConfig.DefaultMinConfidence"/>).
/// </summary>
public sealed record GuardrailSettings(
    IReadOnlyList<string>? EscalateOnTags = null,
    IReadOnlyList<string>? ProhibitedTopics = null,
    double? MinConfidence = null);

/// <summary>The tools an agent may be given; a column whitelists a subset (seed 002 <c>tools_whitelist</c>).</summary>
public static class CrmTools
{
    public const string TagContact = "tag_contact";
    public const string MoveColumn = "move_column";
    public const string BookMeeting = "book_meeting";
    public const string HandOff = "hand_off";
    public const string EnrollInCampaign = "enroll_in_campaign";

    /// <summary>The built-in deterministic agent, used when a column names no agent.</summary>
    public const string OfflineAgentId = "offline";

    public static readonly IReadOnlySet<string> All = new SortedSet<string>(StringComparer.Ordinal)
        { TagContact, MoveColumn, BookMeeting, HandOff, EnrollInCampaign };
}
