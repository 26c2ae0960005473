using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;
using Touchpoint.Features.Webhooks;

namespace Touchpoint.Features.Workspaces;

public sealed record WorkspaceView(
    Guid Id, string Name, string Timezone, string DefaultRegion, BudgetTier BudgetTier, bool DryRun,
    Dictionary<string, string> QaSink, string? HelpText, string? OptOutConfirmation, bool CreateContactsFromUnknownSenders,
    DateTimeOffset CreatedAt)
{
    public static WorkspaceView From(Workspace w) => new(w.Id, w.Name, w.Timezone, w.DefaultRegion, w.BudgetTier,
        w.DryRun, JsonSerializer.Deserialize<Dictionary<string, string>>(w.QaSinkJson) ?? [], w.HelpText,
        w.OptOutConfirmation, w.CreateContactsFromUnknownSenders, w.CreatedAt);
}

public sealed record UpdateWorkspaceRequest(
    string? Timezone, string? DefaultRegion, BudgetTier? BudgetTier, bool? DryRun,
    Dictionary<string, string>? QaSink, string? HelpText, string? OptOutConfirmation, bool? CreateContactsFromUnknownSenders);

public static class WorkspaceApi
{
    public static RouteGroupBuilder MapWorkspaceApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/workspace").WithTags("Workspace").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", GetWorkspace).WithName("GetWorkspace");
        g.MapPatch("/", UpdateWorkspace).WithName("UpdateWorkspace");
        return g;
    }

    static async Task<Results<Ok<WorkspaceView>, NotFound>> GetWorkspace(
        HttpContext http, TouchpointDb db, CancellationToken ct)
    {
        var id = http.User.WorkspaceId();
        var w = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return w is null ? TypedResults.NotFound() : TypedResults.Ok(WorkspaceView.From(w));
    }

    static async Task<Results<Ok<WorkspaceView>, ValidationProblem, NotFound>> UpdateWorkspace(
        UpdateWorkspaceRequest body, HttpContext http, TouchpointDb db, TimeProvider clock, WebhookTenantCache webhookTenants,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.TimeZone("timezone", body.Timezone);
        errors.Region("defaultRegion", body.DefaultRegion);
        foreach (var channel in body.QaSink?.Keys ?? Enumerable.Empty<string>())
            if (!WireName.TryParse<Channel>(channel, out _)) errors.Add($"qaSink.{channel}", "is not a channel.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var id = http.User.WorkspaceId();
        var w = await db.Workspaces.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (w is null) return TypedResults.NotFound();
        if (body.Timezone is not null) w.Timezone = body.Timezone;
        if (body.DefaultRegion is not null) w.DefaultRegion = body.DefaultRegion.ToUpperInvariant();
        if (body.BudgetTier is { } tier) w.BudgetTier = tier;
        if (body.DryRun is { } dryRun) w.DryRun = dryRun;
        if (body.QaSink is not null) w.QaSinkJson = JsonSerializer.Serialize(body.QaSink);
        if (body.HelpText is not null) w.HelpText = body.HelpText;
        if (body.OptOutConfirmation is not null) w.OptOutConfirmation = body.OptOutConfirmation;
        if (body.CreateContactsFromUnknownSenders is { } create) w.CreateContactsFromUnknownSenders = create;
        w.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        webhookTenants.Invalidate(id); // region, keyword texts and the unknown-sender switch apply to the next webhook
        return TypedResults.Ok(WorkspaceView.From(w));
    }
}
