using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Features.Audit;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.WorkspaceKeys;

public sealed record CreateApiKeyRequest(string? Name);
/// <summary>A key as listed: never the key nor its hash.</summary>
public sealed record ApiKeyView(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt, bool Revoked)
{
    public static ApiKeyView From(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.RevokedAt is not null);
}
/// <summary>The answer to creating a key: the only time <see cref="ApiKey"/> is shown.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, string ApiKey);

/// <summary>Workspace API keys (ARCHITECTURE §8): hashed, shown once, revocable; revoking takes effect on the next request.</summary>
public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/workspace/api-keys").WithTags("Workspace").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", CreateKey).WithName("CreateApiKey");
        g.MapGet("/", ListKeys).WithName("ListApiKeys");
        g.MapDelete("/{id:guid}", RevokeKey).WithName("RevokeApiKey").ProducesProblem(404).ProducesProblem(409);
        return g;
    }

    static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateKey(
        CreateApiKeyRequest body, HttpContext http, TouchpointDb db, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("name", body.Name);
        if (body.Name is { Length: > 100 }) errors.Add("name", "must be at most 100 characters.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var now = clock.GetUtcNow();
        var (key, prefix, hash) = Auth.ApiKeys.Generate();
        var row = new ApiKey { WorkspaceId = http.User.WorkspaceId(), Name = body.Name!.Trim(), Prefix = prefix, Hash = hash, CreatedAt = now, UpdatedAt = now };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.ApiKeyCreated, $"api_key:{row.Id}", new { row.Name, row.Prefix }, ct);
        return TypedResults.Created($"/api/v1/workspace/api-keys/{row.Id}", new CreatedApiKey(row.Id, row.Name, prefix, now, key));
    }

    static async Task<Ok<List<ApiKeyView>>> ListKeys(TouchpointDb db, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct);
        return TypedResults.Ok(keys.Select(ApiKeyView.From).ToList());
    }

    static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> RevokeKey(
        Guid id, TouchpointDb db, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return TypedResults.Problem($"API key {id} not found.", statusCode: 404);
        if (key.RevokedAt is not null) return TypedResults.Ok(ApiKeyView.From(key));
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Touching the workspace row first serializes revocations of one workspace (a row lock on PostgreSQL,
        // the single writer on SQLite), so two concurrent revocations cannot both pass the "another active key" check.
        await db.Workspaces.Where(w => w.Id == key.WorkspaceId).ExecuteUpdateAsync(u => u.SetProperty(w => w.UpdatedAt, now), ct);
        var revoked = await db.ApiKeys
            .Where(k => k.Id == id && k.RevokedAt == null && db.ApiKeys.Any(other => other.Id != id && other.RevokedAt == null))
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, now).SetProperty(k => k.UpdatedAt, now), ct);
        await tx.CommitAsync(ct);
        if (revoked == 0)
            return TypedResults.Problem("This is the workspace's last active API key; create another key before revoking it.", statusCode: 409);
        await audit.RecordAsync(AuditActions.ApiKeyRevoked, $"api_key:{id}", new { key.Name, key.Prefix }, ct);
        await db.Entry(key).ReloadAsync(ct);
        return TypedResults.Ok(ApiKeyView.From(key));
    }
}
