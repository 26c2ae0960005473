using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Features.Audit;
using Touchpoint.Features.Idempotency;
using Touchpoint.Data;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Campaigns;

public static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaignsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/campaigns").WithTags("Campaigns").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", Create).WithName("CreateCampaign").WithIdempotency();
        g.MapGet("/", List).WithName("ListCampaigns");
        g.MapGet("/{id:guid}", Get).WithName("GetCampaign");
        g.MapPut("/{id:guid}", Update).WithName("UpdateCampaign");
        g.MapPost("/{id:guid}/{command:regex(^(activate|pause|resume|complete)$)}", ChangeStatus).WithName("ChangeCampaignStatus");
        g.MapPost("/{id:guid}/enrollments", Enroll).WithName("EnrollContacts").WithIdempotency();
        g.MapGet("/{id:guid}/enrollments", ListEnrollments).WithName("ListEnrollments");
        g.MapPost("/{id:guid}/enrollments/{enrollmentId:guid}/state", SetEnrollmentState).WithName("SetEnrollmentState");
        g.MapGet("/{id:guid}/stats", Stats).WithName("CampaignStats");
        g.MapPost("/{id:guid}/simulate", Simulate).WithName("SimulateCampaign");
        return g;
    }

    static async Task<Results<Created<CampaignView>, ValidationProblem>> Create(
        CampaignRequest body, HttpContext http, CampaignService campaigns, CancellationToken ct)
    {
        if (CampaignService.Validate(body, requireName: true) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var view = await campaigns.CreateAsync(http.User.WorkspaceId(), body, ct);
        return TypedResults.Created($"/api/v1/campaigns/{view.Id}", view);
    }

    static async Task<Ok<List<CampaignView>>> List(CampaignService campaigns, CancellationToken ct) =>
        TypedResults.Ok(await campaigns.ListAsync(ct));

    static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> Get(Guid id, CampaignService campaigns, CancellationToken ct) =>
        await campaigns.GetAsync(id, ct) is { } view ? TypedResults.Ok(view) : NotFound(id);

    static async Task<Results<Ok<CampaignView>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, CampaignRequest body, CampaignService campaigns, CancellationToken ct)
    {
        if (CampaignService.Validate(body, requireName: false) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        return await campaigns.UpdateAsync(id, body, ct) is { } view ? TypedResults.Ok(view) : NotFound(id);
    }

    static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> ChangeStatus(
        Guid id, string command, CampaignService campaigns, AuditLog audit, CancellationToken ct)
    {
        var (view, change) = await campaigns.ChangeStatusAsync(id, WireName.Parse<CampaignCommand>(command), ct);
        if (change is null) return NotFound(id);
        if (view is null) return TypedResults.Problem(change.RefusalReason ?? $"Cannot {command} a {WireName.Of(change.From)} campaign.", statusCode: 409);
        await audit.RecordAsync(AuditActions.CampaignStatusChanged, $"campaign:{id}",
            new { command, from = WireName.Of(change.From), to = WireName.Of(change.To) }, ct);
        return TypedResults.Ok(view);
    }

    static async Task<Results<Ok<EnrollResult>, ValidationProblem, ProblemHttpResult>> Enroll(
        Guid id, EnrollRequest body, EnrollmentService enrollments, AuditLog audit, CancellationToken ct)
    {
        if (body.ContactIds is null || body.ContactIds.Count == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["contactIds"] = ["must list at least one contact id."] });
        if (await enrollments.EnrollAsync(id, body.ContactIds, ct) is not { } result) return NotFound(id);
        if (result.Enrolled > 0)
            await audit.RecordAsync(AuditActions.ContactsEnrolled, $"campaign:{id}", new { result.Enrolled, result.AlreadyEnrolled, rejected = result.Rejected.Count }, ct);
        return TypedResults.Ok(result);
    }

    static async Task<Results<Ok<List<EnrollmentView>>, ValidationProblem>> ListEnrollments(
        Guid id, string? state, CampaignStats stats, CancellationToken ct)
    {
        EnrollmentState? filter = null;
        if (state is not null)
        {
            if (!WireName.TryParse<EnrollmentState>(state, out var s)) return StateProblem("state");
            filter = s;
        }
        return TypedResults.Ok(await stats.ListAsync(id, filter, ct));
    }

    static async Task<Results<Ok<EnrollmentStateView>, ValidationProblem, ProblemHttpResult>> SetEnrollmentState(
        Guid id, Guid enrollmentId, SetEnrollmentStateRequest body, EnrollmentStateChanges changes, CancellationToken ct)
    {
        if (!WireName.TryParse<EnrollmentState>(body.State, out var target)) return StateProblem("state");
        var result = await changes.SetAsync(id, enrollmentId, target, body.Reason?.Trim(), "operator", ct);
        if (!result.Found) return TypedResults.Problem($"Enrollment {enrollmentId} not found in campaign {id}.", statusCode: 404);
        return result.View is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem($"Refused: {result.Transition!.RefusalReason}.", statusCode: 409);
    }

    static async Task<Results<Ok<CampaignStatsView>, ProblemHttpResult>> Stats(Guid id, CampaignStats stats, CancellationToken ct) =>
        await stats.StatsAsync(id, ct) is { } view ? TypedResults.Ok(view) : NotFound(id);

    static async Task<Results<Ok<SimulationView>, ValidationProblem, ProblemHttpResult>> Simulate(
        Guid id, SimulateRequest body, CampaignSimulation simulation, CancellationToken ct)
    {
        if (body.Days is not (>= 1 and <= MaxSimulationDays))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = [$"must be between 1 and {MaxSimulationDays}."] });
        return await simulation.RunAsync(id, body.Days.Value, ct) is { } view ? TypedResults.Ok(view) : NotFound(id);
    }

    public const int MaxSimulationDays = 90;

    static ValidationProblem StateProblem(string field) => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        [field] = [$"must be one of {string.Join(", ", WireName.All<EnrollmentState>())}."],
    });

    static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem($"Campaign {id} not found.", statusCode: 404);
}
