using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Jobs;

public sealed record JobView(Guid Id, string Kind, string Status, int Attempts, int MaxAttempts, DateTimeOffset RunAt,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

public sealed record JobListQuery(string? Status, int? Limit);

/// <summary>Queue inspection and re-drive for the caller's workspace (system jobs are not visible here).</summary>
public static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/jobs").WithTags("Jobs").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", ListJobs).WithName("ListJobs");
        g.MapPost("/{id:guid}/retry", RetryJob).WithName("RetryJob");
        return g;
    }

    static async Task<Results<Ok<List<JobView>>, ValidationProblem>> ListJobs(
        [AsParameters] JobListQuery query, TouchpointDb db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        JobStatus? status = null;
        if (query.Status is not null)
        {
            if (WireName.TryParse<JobStatus>(query.Status, out var s)) status = s;
            else errors.Add("status", $"must be one of {string.Join(", ", WireName.All<JobStatus>())}.");
        }
        if (query.Limit is < 1 or > 500) errors.Add("limit", "must be between 1 and 500.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var jobs = db.ScheduledActions.AsNoTracking();
        if (status is { } wanted) jobs = jobs.Where(j => j.Status == wanted);
        var rows = await jobs.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Take(query.Limit ?? 100).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(j => new JobView(j.Id, j.Kind, WireName.Of(j.Status), j.Attempts, j.MaxAttempts,
            j.RunAt, j.LastError, j.CreatedAt, j.CompletedAt)).ToList());
    }

    static async Task<Results<Ok<JobView>, ProblemHttpResult>> RetryJob(Guid id, JobRedrive redrive, CancellationToken ct)
    {
        var (job, retried) = await redrive.RetryDeadAsync(id, ct);
        if (job is null) return TypedResults.Problem($"Job {id} not found.", statusCode: 404);
        if (!retried)
            return TypedResults.Problem($"Job {id} is {WireName.Of(job.Status)}; only dead jobs can be retried.", statusCode: 409);
        return TypedResults.Ok(new JobView(job.Id, job.Kind, WireName.Of(job.Status), job.Attempts, job.MaxAttempts, job.RunAt,
            job.LastError, job.CreatedAt, job.CompletedAt));
    }
}
