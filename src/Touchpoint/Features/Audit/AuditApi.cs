using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Audit;

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/audit").WithTags("Audit").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", ListAudit).WithName("ListAudit");
        return g;
    }

    static async Task<Results<Ok<List<AuditView>>, ValidationProblem>> ListAudit(int? limit, AuditLog audit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (limit is < 1 or > 500) errors.Add("limit", "must be between 1 and 500.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await audit.ListAsync(limit ?? 100, ct));
    }
}
