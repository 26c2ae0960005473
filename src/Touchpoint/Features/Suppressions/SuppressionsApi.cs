using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Features.Idempotency;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Suppressions;

public static class SuppressionsApi
{
    public static RouteGroupBuilder MapSuppressionsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/suppressions").WithTags("Suppressions").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", AddSuppression).WithName("AddSuppression").WithIdempotency();
        g.MapGet("/", ListSuppressions).WithName("ListSuppressions");
        g.MapDelete("/{id:guid}", RemoveSuppression).WithName("RemoveSuppression").ProducesProblem(404).ProducesProblem(409);
        return g;
    }

    static async Task<Results<Created<SuppressionView>, Ok<SuppressionView>, ValidationProblem>> AddSuppression(
        AddSuppressionRequest body, HttpContext http, SuppressionService suppressions, TimeProvider clock, CancellationToken ct)
    {
        if (body.Validate(clock.GetUtcNow()) is { Count: > 0 } invalid) return TypedResults.ValidationProblem(invalid);
        Channel? channel = body.Channel is null ? null : WireName.Parse<Channel>(body.Channel);
        var input = new SuppressionInput(body.ContactId, body.Value, WireName.Parse<SuppressionReason>(body.Reason!), channel,
            body.ExpiresAt, body.Note, http.User.FindFirstValue(ClaimTypes.Name));
        var (suppression, created, errors) = await suppressions.AddAsync(http.User.WorkspaceId(), input, ct);
        if (suppression is null) return TypedResults.ValidationProblem(errors);
        var view = SuppressionView.From(suppression);
        // The same active suppression again is not an error: bounce webhooks and scripts repeat themselves.
        return created ? TypedResults.Created($"/api/v1/suppressions/{suppression.Id}", view) : TypedResults.Ok(view);
    }

    static async Task<Results<Ok<SuppressionList>, ValidationProblem>> ListSuppressions(
        [AsParameters] SuppressionListQuery query, HttpContext http, SuppressionService suppressions, CancellationToken ct)
    {
        SuppressionReason? reason = null;
        if (query.Reason is not null)
        {
            if (!WireName.TryParse<SuppressionReason>(query.Reason, out var r))
            {
                var errors = new FieldErrors();
                errors.Add("reason", $"must be one of {string.Join(", ", WireName.All<SuppressionReason>())}.");
                return TypedResults.ValidationProblem(errors);
            }
            reason = r;
        }
        var rows = await suppressions.ListAsync(http.User.WorkspaceId(), query.ContactId, query.Value, reason,
            query.IncludeRemoved ?? false, ct);
        return TypedResults.Ok(new SuppressionList([.. rows.Select(SuppressionView.From)]));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveSuppression(
        Guid id, HttpContext http, SuppressionService suppressions, CancellationToken ct) =>
        await suppressions.RemoveAsync(id, http.User.FindFirstValue(ClaimTypes.Name) ?? "api", ct) switch
        {
            RemoveOutcome.NotFound => TypedResults.Problem($"Suppression {id} not found.", statusCode: 404),
            RemoveOutcome.NeedsNewOptIn => TypedResults.Problem(
                "This is an opt-out suppression: it can only be removed after the person opts in again " +
                "(a consent record with status opt_in captured after the suppression was created).", statusCode: 409),
            _ => TypedResults.NoContent(),
        };
}
