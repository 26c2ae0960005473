using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Features.Shared;
using Touchpoint.Time;

namespace Touchpoint.Features.Admin;

public sealed record CreateWorkspaceRequest(string? Name, string? Timezone, string? DefaultRegion);
public sealed record CreatedWorkspace(Guid Id, string Name, string Timezone, string DefaultRegion, string ApiKey);
public sealed record ClockView(DateTimeOffset Now, string Mode);
public sealed record AdvanceClockRequest(int? Minutes);

public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/admin").WithTags("Admin").RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
        g.MapPost("/workspaces", CreateWorkspace).WithName("CreateWorkspace");
        g.MapGet("/clock", GetClock).WithName("GetClock");
        g.MapPost("/clock/advance", AdvanceClock).WithName("AdvanceClock");
        return g;
    }

    static async Task<Results<Created<CreatedWorkspace>, ValidationProblem>> CreateWorkspace(
        CreateWorkspaceRequest body, WorkspaceProvisioning provisioning, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("name", body.Name);
        errors.Required("timezone", body.Timezone);
        errors.TimeZone("timezone", body.Timezone);
        errors.Region("defaultRegion", body.DefaultRegion);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var created = await provisioning.CreateAsync(body.Name!, body.Timezone!, body.DefaultRegion, ct);
        return TypedResults.Created($"/api/v1/workspace", created);
    }

    static ClockView GetClock(TimeProvider clock) =>
        new(clock.GetUtcNow(), clock is ManualClock ? "manual" : "system");

    static async Task<Results<Ok<ClockView>, ValidationProblem, ProblemHttpResult>> AdvanceClock(
        AdvanceClockRequest body, TimeProvider clock, IEnumerable<IDueWorkRunner> dueWork, CancellationToken ct)
    {
        if (clock is not ManualClock manual)
            return TypedResults.Problem("The clock is not manual; start with Clock:Mode=Manual to advance it.", statusCode: 404);
        if (body.Minutes is not > 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["minutes"] = ["must be a positive number of minutes."] });

        manual.Advance(TimeSpan.FromMinutes(body.Minutes.Value));
        // Due work runs before the call returns, so black-box tests see its effects immediately.
        foreach (var runner in dueWork) await runner.RunDueWorkAsync(ct);
        return TypedResults.Ok(new ClockView(manual.GetUtcNow(), "manual"));
    }
}

/// <summary>Something that processes work that became due (scheduler, ticks) when the manual clock moves.</summary>
public interface IDueWorkRunner
{
    Task RunDueWorkAsync(CancellationToken ct);
}

/// <summary>Creates a workspace and its first API key, returning the key the only time it is ever visible.</summary>
public sealed class WorkspaceProvisioning(TouchpointDb db, TimeProvider clock)
{
    public async Task<CreatedWorkspace> CreateAsync(string name, string timezone, string? region, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var workspace = new Workspace
        {
            Name = name.Trim(), Timezone = timezone, DefaultRegion = (region ?? "US").ToUpperInvariant(),
            CreatedAt = now, UpdatedAt = now,
        };
        var (key, prefix, hash) = ApiKeys.Generate();
        db.Workspaces.Add(workspace);
        db.ApiKeys.Add(new ApiKey
        {
            WorkspaceId = workspace.Id, Name = "default", Prefix = prefix, Hash = hash, CreatedAt = now, UpdatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return new CreatedWorkspace(workspace.Id, workspace.Name, workspace.Timezone, workspace.DefaultRegion, key);
    }
}
