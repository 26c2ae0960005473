using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Crm.Automation;

public static class AutomationApi
{
    public static RouteGroupBuilder MapAutomationApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/automation-rules").WithTags("CRM").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", Create).WithName("CreateAutomationRule");
        g.MapGet("/", List).WithName("ListAutomationRules");
        g.MapPatch("/{id:guid}", SetEnabled).WithName("SetAutomationRuleEnabled").ProducesProblem(404);
        g.MapGet("/{id:guid}/runs", Runs).WithName("ListAutomationRuns").ProducesProblem(404);
        return g;
    }

    static async Task<Results<Created<AutomationRuleView>, ValidationProblem>> Create(AutomationRuleRequest body, HttpContext http,
        TouchpointDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = body.Validate();
        if (body.ColumnId is { } columnId && !await db.BoardColumns.AnyAsync(c => c.Id == columnId, ct)) errors.Add("columnId", $"no column {columnId}.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var now = clock.GetUtcNow();
        var rule = new AutomationRule
        {
            WorkspaceId = http.User.WorkspaceId(), Name = body.Name!.Trim(), ColumnId = body.ColumnId, Enabled = body.Enabled ?? true,
            Trigger = WireName.Parse<AutomationTrigger>(body.Trigger!), Schedule = body.Schedule, InactivityHours = body.InactivityHours,
            TagSlug = body.TagSlug is null ? null : Tags.TagService.Normalize(body.TagSlug), Action = WireName.Parse<AutomationAction>(body.Action!),
            ActionJson = JsonSerializer.Serialize(body.ActionConfig ?? new(), JsonSerializerOptions.Web),
            GuardrailsJson = JsonSerializer.Serialize(body.Guardrails ?? new(), JsonSerializerOptions.Web), CreatedAt = now, UpdatedAt = now,
        };
        db.AutomationRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/automation-rules/{rule.Id}", AutomationRuleView.From(rule));
    }

    static async Task<Ok<AutomationRuleList>> List(TouchpointDb db, CancellationToken ct) =>
        TypedResults.Ok(new AutomationRuleList([.. (await db.AutomationRules.AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync(ct)).Select(AutomationRuleView.From)]));

    static async Task<Results<Ok<AutomationRuleView>, ValidationProblem, ProblemHttpResult>> SetEnabled(Guid id, SetEnabledRequest body,
        TouchpointDb db, TimeProvider clock, CancellationToken ct)
    {
        if (body.Enabled is not { } enabled)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["enabled"] = ["is required."] });
        var rule = await db.AutomationRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return TypedResults.Problem($"Automation rule {id} not found.", statusCode: 404);
        rule.Enabled = enabled;
        rule.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AutomationRuleView.From(rule));
    }

    static async Task<Results<Ok<AutomationRunList>, ProblemHttpResult>> Runs(Guid id, TouchpointDb db, CancellationToken ct)
    {
        if (!await db.AutomationRules.AnyAsync(r => r.Id == id, ct)) return TypedResults.Problem($"Automation rule {id} not found.", statusCode: 404);
        var runs = await db.AutomationRuns.AsNoTracking().Where(r => r.RuleId == id).OrderBy(r => r.CreatedAt).ThenBy(r => r.OccurrenceKey).ToListAsync(ct);
        return TypedResults.Ok(new AutomationRunList([.. runs.Select(AutomationRunView.From)]));
    }
}
