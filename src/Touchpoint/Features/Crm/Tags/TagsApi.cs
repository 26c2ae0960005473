using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Crm.Tags;

public sealed record AddTagRequest(string? Tag, string? Source, double? Confidence, JsonElement? Evidence, Guid? ConversationId);
public sealed record TagDecisionRequest(string? By);
public sealed record TagEventQuery(Guid? ContactId, string? Status);

public sealed record TagEventView(Guid Id, Guid ContactId, Guid? ConversationId, string Tag, TagSource Source, double? Confidence,
    JsonElement Evidence, string Status, DateTimeOffset CreatedAt)
{
    public static TagEventView From(TagEvent t) => new(t.Id, t.ContactId, t.ConversationId, t.TagSlug, t.Source, t.Confidence,
        JsonDocument.Parse(t.EvidenceJson).RootElement.Clone(), t.Status, t.CreatedAt);
}

public sealed record TagEventList(List<TagEventView> TagEvents);

public static class TagsApi
{
    public static void MapTagsApi(this IEndpointRouteBuilder v1)
    {
        v1.MapPost("/contacts/{contactId:guid}/tags", AddTag).WithTags("CRM").WithName("AddTag")
            .RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy).ProducesProblem(404);
        var g = v1.MapGroup("/tag-events").WithTags("CRM").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", ListTagEvents).WithName("ListTagEvents");
        g.MapPost("/{id:guid}/confirm", (Guid id, TagDecisionRequest? body, HttpContext http, TagService tags, CancellationToken ct) =>
            DecideAsync(id, true, body, http, tags, ct)).WithName("ConfirmTag").ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/{id:guid}/reject", (Guid id, TagDecisionRequest? body, HttpContext http, TagService tags, CancellationToken ct) =>
            DecideAsync(id, false, body, http, tags, ct)).WithName("RejectTag").ProducesProblem(404).ProducesProblem(409);
    }

    static async Task<Results<Created<TagEventView>, ValidationProblem, ProblemHttpResult>> AddTag(Guid contactId, AddTagRequest body,
        HttpContext http, TagService tags, TouchpointDb db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("tag", body.Tag);
        var source = TagSource.Human;
        if (body.Source is not null && !WireName.TryParse(body.Source, out source))
            errors.Add("source", $"must be one of {string.Join(", ", WireName.All<TagSource>())}.");
        if (body.Confidence is < 0 or > 1) errors.Add("confidence", "must be between 0 and 1.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId, ct)) return TypedResults.Problem($"Contact {contactId} not found.", statusCode: 404);
        var e = await tags.ProposeAsync(http.User.WorkspaceId(), contactId, body.ConversationId, body.Tag!, source, body.Confidence ?? 1.0,
            body.Evidence, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tag-events/{e.Id}", TagEventView.From(e));
    }

    static async Task<Results<Ok<TagEventList>, ValidationProblem>> ListTagEvents([AsParameters] TagEventQuery query, TagService tags,
        CancellationToken ct)
    {
        if (query.Status is not null and not (TagService.Pending or TagService.Confirmed or TagService.Rejected))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["must be pending, confirmed or rejected."] });
        return TypedResults.Ok(new TagEventList([.. (await tags.ListAsync(query.ContactId, query.Status, ct)).Select(TagEventView.From)]));
    }

    static async Task<Results<Ok<TagEventView>, ProblemHttpResult>> DecideAsync(Guid id, bool confirm, TagDecisionRequest? body,
        HttpContext http, TagService tags, CancellationToken ct)
    {
        var by = body?.By ?? http.User.FindFirstValue(ClaimTypes.Name) ?? "api";
        var e = await tags.DecideAsync(id, confirm, by, ct);
        if (e is null) return TypedResults.Problem($"Tag event {id} not found.", statusCode: 404);
        var wanted = confirm ? TagService.Confirmed : TagService.Rejected;
        return e.Status == wanted ? TypedResults.Ok(TagEventView.From(e))
            : TypedResults.Problem($"Tag event {id} is already {e.Status}; only pending tags can be decided.", statusCode: 409);
    }
}
