using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Crm.Strategies;

public sealed record StrategyRequest(string? Tone, string? Objectives, string? ObjectionHandling, string? CtaRules, string? FollowUpPreset,
    JsonElement? IntervalOverrides);

public sealed record StrategyView(Guid Id, int VersionNumber, StrategyStatus Status, string? Tone, string? Objectives,
    string? ObjectionHandling, string? CtaRules, FollowUpPreset FollowUpPreset, JsonElement IntervalOverrides, DateTimeOffset CreatedAt,
    DateTimeOffset? ActivatedAt)
{
    public static StrategyView From(StrategyVersion s) => new(s.Id, s.VersionNumber, s.Status, s.Tone, s.Objectives, s.ObjectionHandling,
        s.CtaRules, s.FollowUpPreset, JsonDocument.Parse(s.IntervalOverridesJson).RootElement.Clone(), s.CreatedAt, s.ActivatedAt);
}

public sealed record StrategyList(List<StrategyView> Strategies);

/// <summary>
/// Strategy versions (seed 001): DRAFT → ACTIVE → SUPERSEDED (a newer one was activated) or ROLLED_BACK (rollback).
/// Exactly one ACTIVE per workspace, enforced by a partial unique index; switching happens in one transaction
/// (old one out first, then the new one in). Rollback restores the most recently superseded version.
/// </summary>
public sealed class StrategyService(TouchpointDb db, TimeProvider clock)
{
    public async Task<StrategyVersion> CreateAsync(Guid workspaceId, StrategyRequest r, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var next = (await db.StrategyVersions.MaxAsync(s => (int?)s.VersionNumber, ct) ?? 0) + 1;
        var s = new StrategyVersion
        {
            WorkspaceId = workspaceId, VersionNumber = next, Tone = r.Tone, Objectives = r.Objectives, ObjectionHandling = r.ObjectionHandling,
            CtaRules = r.CtaRules, FollowUpPreset = r.FollowUpPreset is null ? FollowUpPreset.Balanced : WireName.Parse<FollowUpPreset>(r.FollowUpPreset),
            IntervalOverridesJson = r.IntervalOverrides?.GetRawText() ?? "{}", CreatedAt = now, UpdatedAt = now,
        };
        db.StrategyVersions.Add(s);
        await db.SaveChangesAsync(ct);
        return s;
    }

    /// <summary>Null when not found; the version itself (unchanged) when it cannot be activated (not a DRAFT or SUPERSEDED).</summary>
    public async Task<StrategyVersion?> ActivateAsync(Guid id, CancellationToken ct)
    {
        var target = await db.StrategyVersions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (target is null || target.Status is not (StrategyStatus.Draft or StrategyStatus.Superseded)) return target;
        await SwitchAsync(await db.StrategyVersions.FirstOrDefaultAsync(s => s.Status == StrategyStatus.Active, ct), StrategyStatus.Superseded, target, ct);
        return target;
    }

    /// <summary>The ACTIVE version becomes ROLLED_BACK and the latest SUPERSEDED one is ACTIVE again; null when nothing to roll back to.</summary>
    public async Task<StrategyVersion?> RollbackAsync(CancellationToken ct)
    {
        var active = await db.StrategyVersions.FirstOrDefaultAsync(s => s.Status == StrategyStatus.Active, ct);
        var previous = await db.StrategyVersions.Where(s => s.Status == StrategyStatus.Superseded)
            .OrderByDescending(s => s.ActivatedAt).ThenByDescending(s => s.VersionNumber).FirstOrDefaultAsync(ct);
        if (active is null || previous is null) return null;
        await SwitchAsync(active, StrategyStatus.RolledBack, previous, ct);
        return previous;
    }

    async Task SwitchAsync(StrategyVersion? from, StrategyStatus fromBecomes, StrategyVersion to, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (from is not null)
        {
            from.Status = fromBecomes;
            from.UpdatedAt = now;
            await db.SaveChangesAsync(ct); // first: the one-ACTIVE index must never see two
        }
        to.Status = StrategyStatus.Active;
        to.ActivatedAt = now;
        to.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}

public static class StrategiesApi
{
    public static RouteGroupBuilder MapStrategiesApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/strategies").WithTags("CRM").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", Create).WithName("CreateStrategy");
        g.MapGet("/", List).WithName("ListStrategies");
        g.MapGet("/active", Active).WithName("GetActiveStrategy").ProducesProblem(404);
        g.MapPost("/{id:guid}/activate", Activate).WithName("ActivateStrategy").ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/rollback", Rollback).WithName("RollbackStrategy").ProducesProblem(409);
        return g;
    }

    static async Task<Results<Created<StrategyView>, ValidationProblem>> Create(StrategyRequest body, HttpContext http, StrategyService strategies,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body.FollowUpPreset is not null && !WireName.TryParse<FollowUpPreset>(body.FollowUpPreset, out _))
            errors.Add("followUpPreset", $"must be one of {string.Join(", ", WireName.All<FollowUpPreset>())}.");
        if (body.IntervalOverrides is { ValueKind: not JsonValueKind.Object }) errors.Add("intervalOverrides", "must be an object.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var s = await strategies.CreateAsync(http.User.WorkspaceId(), body, ct);
        return TypedResults.Created($"/api/v1/strategies/{s.Id}", StrategyView.From(s));
    }

    static async Task<Ok<StrategyList>> List(TouchpointDb db, CancellationToken ct) =>
        TypedResults.Ok(new StrategyList([.. (await db.StrategyVersions.AsNoTracking().OrderBy(s => s.VersionNumber).ToListAsync(ct)).Select(StrategyView.From)]));

    static async Task<Results<Ok<StrategyView>, ProblemHttpResult>> Active(TouchpointDb db, CancellationToken ct) =>
        await db.StrategyVersions.AsNoTracking().FirstOrDefaultAsync(s => s.Status == StrategyStatus.Active, ct) is { } s
            ? TypedResults.Ok(StrategyView.From(s)) : TypedResults.Problem("No strategy version is active.", statusCode: 404);

    static async Task<Results<Ok<StrategyView>, ProblemHttpResult>> Activate(Guid id, StrategyService strategies, CancellationToken ct)
    {
        var s = await strategies.ActivateAsync(id, ct);
        if (s is null) return TypedResults.Problem($"Strategy {id} not found.", statusCode: 404);
        return s.Status == StrategyStatus.Active ? TypedResults.Ok(StrategyView.From(s))
            : TypedResults.Problem($"Strategy v{s.VersionNumber} is {WireName.Of(s.Status)}; only DRAFT or SUPERSEDED versions can be activated.", statusCode: 409);
    }

    static async Task<Results<Ok<StrategyView>, ProblemHttpResult>> Rollback(StrategyService strategies, CancellationToken ct) =>
        await strategies.RollbackAsync(ct) is { } s ? TypedResults.Ok(StrategyView.From(s))
            : TypedResults.Problem("Nothing to roll back to: rollback needs an ACTIVE version and an earlier superseded one.", statusCode: 409);
}
