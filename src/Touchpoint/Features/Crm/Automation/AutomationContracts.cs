using System.Text.Json;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Crm.Automation;

/// <summary>send_template: <c>templateKey</c> or <c>body</c>; run_agent: optional <c>instruction</c>.</summary>
public sealed record AutomationActionConfig(string? TemplateKey = null, string? Body = null, string? Instruction = null);

/// <summary>Checked before every run: skip contacts with any of <c>skipIfTags</c>; at most <c>maxRunsPerDay</c> runs per conversation.</summary>
public sealed record AutomationGuardrails(List<string>? SkipIfTags = null, int? MaxRunsPerDay = null, bool SkipHumanColumns = true);

public sealed record AutomationRuleRequest(string? Name, Guid? ColumnId, string? Trigger, string? Schedule, int? InactivityHours,
    string? TagSlug, string? Action, AutomationActionConfig? ActionConfig, AutomationGuardrails? Guardrails, bool? Enabled)
{
    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        errors.Required("name", Name);
        if (!WireName.TryParse<AutomationTrigger>(Trigger, out var trigger))
            errors.Add("trigger", $"must be one of {string.Join(", ", WireName.All<AutomationTrigger>())}.");
        else if (trigger == AutomationTrigger.TimeWindow && AutomationSchedule.Validate(Schedule) is { } bad) errors.Add("schedule", bad);
        else if (trigger == AutomationTrigger.Inactivity && InactivityHours is not (>= 1 and <= 24 * 365))
            errors.Add("inactivityHours", "is required for inactivity rules: 1 to 8760 hours.");
        else if (trigger == AutomationTrigger.TagAdded && string.IsNullOrWhiteSpace(TagSlug)) errors.Add("tagSlug", "is required for tag_added rules.");
        if (!WireName.TryParse<AutomationAction>(Action, out var action))
            errors.Add("action", $"must be one of {string.Join(", ", WireName.All<AutomationAction>())}.");
        else if (action == AutomationAction.SendTemplate && string.IsNullOrWhiteSpace(ActionConfig?.TemplateKey) && string.IsNullOrWhiteSpace(ActionConfig?.Body))
            errors.Add("actionConfig", "send_template needs a templateKey or a body.");
        if (Guardrails?.MaxRunsPerDay is < 1) errors.Add("guardrails.maxRunsPerDay", "must be at least 1.");
        return errors;
    }
}

public sealed record AutomationRuleView(Guid Id, string Name, Guid? ColumnId, bool Enabled, AutomationTrigger Trigger, string? Schedule,
    int? InactivityHours, string? TagSlug, AutomationAction Action, AutomationActionConfig ActionConfig, AutomationGuardrails Guardrails,
    DateTimeOffset CreatedAt)
{
    public static AutomationRuleView From(AutomationRule r) => new(r.Id, r.Name, r.ColumnId, r.Enabled, r.Trigger, r.Schedule, r.InactivityHours,
        r.TagSlug, r.Action, Parse<AutomationActionConfig>(r.ActionJson) ?? new(), Parse<AutomationGuardrails>(r.GuardrailsJson) ?? new(), r.CreatedAt);

    public static T? Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web);
}

public sealed record AutomationRuleList(List<AutomationRuleView> Rules);

public sealed record AutomationRunView(Guid Id, Guid RuleId, Guid? ConversationId, string OccurrenceKey, string Status, JsonElement Result,
    DateTimeOffset CreatedAt)
{
    public static AutomationRunView From(AutomationRun r) => new(r.Id, r.RuleId, r.ConversationId, r.OccurrenceKey, r.Status,
        JsonDocument.Parse(r.ResultJson).RootElement.Clone(), r.CreatedAt);
}

public sealed record AutomationRunList(List<AutomationRunView> Runs);

public sealed record SetEnabledRequest(bool? Enabled);
