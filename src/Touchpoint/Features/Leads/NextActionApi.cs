using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Domain.Leads;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Leads;

/// <summary>The lead brain's answer with the facts it used (ARCHITECTURE §10 extension, seed 004 Lead Brain).</summary>
public sealed record NextActionView(Guid ContactId, NextActionKind Action, Channel? Channel, int DelayMinutes, int Priority,
    string Reason, string Detail, LeadFacts Facts);

public static class NextActionApi
{
    public static RouteGroupBuilder MapNextActionApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/contacts").WithTags("Lead brain").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/{id:guid}/next-action", Get).WithName("ContactNextAction");
        return g;
    }

    static async Task<Results<Ok<NextActionView>, ProblemHttpResult>> Get(Guid id, NextActionLoader loader, CancellationToken ct)
    {
        if (await loader.LoadAsync(id, ct) is not { } facts)
            return TypedResults.Problem($"Contact {id} not found.", statusCode: 404);
        var action = LeadBrain.Decide(facts);
        return TypedResults.Ok(new NextActionView(id, action.Action, action.Channel, action.DelayMinutes, action.Priority,
            action.Reason, action.Detail, facts));
    }
}
