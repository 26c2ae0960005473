using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Inbound;

public static class ReviewsApi
{
    public static RouteGroupBuilder MapReviewsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/reviews").WithTags("Reviews").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", ListReviews).WithName("ListReviews");
        g.MapGet("/{id:guid}", GetReview).WithName("GetReview").ProducesProblem(404);
        g.MapPost("/{id:guid}/resolve", ResolveReview).WithName("ResolveReview").ProducesProblem(404).ProducesProblem(409);
        return g;
    }

    static async Task<Results<Ok<ReviewList>, ValidationProblem>> ListReviews(
        [AsParameters] ReviewListQuery query, ReviewQueue reviews, CancellationToken ct)
    {
        var errors = new FieldErrors();
        ReviewStatus? status = null;
        if (query.Status is not null)
        {
            if (WireName.TryParse<ReviewStatus>(query.Status, out var s)) status = s;
            else errors.Add("status", $"must be one of {string.Join(", ", WireName.All<ReviewStatus>())}.");
        }
        if (query.Limit is < 1 or > 500) errors.Add("limit", "must be between 1 and 500.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(new ReviewList(await reviews.ListAsync(status, query.Limit ?? 100, ct)));
    }

    static async Task<Results<Ok<ReviewView>, ProblemHttpResult>> GetReview(Guid id, ReviewQueue reviews, CancellationToken ct) =>
        await reviews.GetAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.Problem($"Review {id} not found.", statusCode: 404);

    static async Task<Results<Ok<ReviewView>, ValidationProblem, ProblemHttpResult>> ResolveReview(
        Guid id, ResolveReviewRequest body, HttpContext http, ReviewQueue reviews, CancellationToken ct)
    {
        if (body.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var actor = http.User.FindFirstValue(ClaimTypes.Name) ?? "api";
        return await reviews.ResolveAsync(id, WireName.Parse<ReviewAction>(body.Action!), body.Note, actor, ct) switch
        {
            ResolveOutcome.NotFound => TypedResults.Problem($"Review {id} not found.", statusCode: 404),
            ResolveOutcome.NotOpen => TypedResults.Problem($"Review {id} is already decided.", statusCode: 409),
            _ => TypedResults.Ok((await reviews.GetAsync(id, ct))!),
        };
    }
}
