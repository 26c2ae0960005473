using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Messaging;

public sealed record PutTemplateRequest(string? Channel, string? Subject, string? Body, string? ProviderTemplate, string? Language);

public sealed record TemplateView(string Key, Channel? Channel, string? Subject, string Body, string? ProviderTemplate, string? Language,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TemplateView From(MessageTemplate t) => new(t.Key, t.Channel, t.Subject, t.Body, t.ProviderTemplate, t.Language, t.CreatedAt, t.UpdatedAt);
}

/// <summary>Workspace message templates addressed by key (<c>templateKey</c>); a PUT creates or replaces one.</summary>
public static class TemplatesApi
{
    public static void MapTemplatesApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/templates").WithTags("Templates").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", async (TouchpointDb db, CancellationToken ct) =>
            TypedResults.Ok(await db.MessageTemplates.AsNoTracking().OrderBy(t => t.Key).Select(t => TemplateView.From(t)).ToListAsync(ct)))
            .WithName("ListTemplates");
        g.MapGet("/{key}", Get).WithName("GetTemplate").ProducesProblem(404);
        g.MapPut("/{key}", Put).WithName("PutTemplate");
        g.MapDelete("/{key}", Delete).WithName("DeleteTemplate").ProducesProblem(404);
    }

    static async Task<Results<Ok<TemplateView>, ProblemHttpResult>> Get(string key, TouchpointDb db, CancellationToken ct) =>
        await db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, ct) is { } t
            ? TypedResults.Ok(TemplateView.From(t))
            : TypedResults.Problem($"Template '{key}' not found.", statusCode: 404);

    static async Task<Results<Ok<TemplateView>, ValidationProblem>> Put(string key, PutTemplateRequest body, HttpContext http,
        TouchpointDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (key.Length > 128 || key.Any(char.IsWhiteSpace)) errors.Add("key", "must be at most 128 characters without spaces.");
        Channel? channel = null;
        if (body.Channel is not null)
        {
            if (WireName.TryParse<Channel>(body.Channel, out var c)) channel = c;
            else errors.Add("channel", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
        }
        if (string.IsNullOrWhiteSpace(body.Body)) errors.Add("body", "is required.");
        else if (TemplateRenderer.Validate(body.Body) is { } bodyError) errors.Add("body", bodyError);
        if (body.Subject is not null && TemplateRenderer.Validate(body.Subject) is { } subjectError) errors.Add("subject", subjectError);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var now = clock.GetUtcNow().ToUniversalTime();
        var template = await db.MessageTemplates.FirstOrDefaultAsync(t => t.Key == key, ct);
        if (template is null)
        {
            template = new MessageTemplate { WorkspaceId = http.User.WorkspaceId(), Key = key, Body = body.Body!, CreatedAt = now };
            db.MessageTemplates.Add(template);
        }
        template.Channel = channel;
        template.Subject = body.Subject;
        template.Body = body.Body!;
        template.ProviderTemplate = body.ProviderTemplate;
        template.Language = body.Language;
        template.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TemplateView.From(template));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string key, TouchpointDb db, CancellationToken ct) =>
        await db.MessageTemplates.Where(t => t.Key == key).ExecuteDeleteAsync(ct) > 0
            ? TypedResults.NoContent()
            : TypedResults.Problem($"Template '{key}' not found.", statusCode: 404);
}
