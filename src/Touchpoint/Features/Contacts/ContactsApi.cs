using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Features.Idempotency;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Contacts.Import;

namespace Touchpoint.Features.Contacts;

public sealed record ContactListQuery(string? Cursor, int? Limit, string? Tag, string? Stage);

public static class ContactsApi
{
    public static RouteGroupBuilder MapContactsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/contacts").WithTags("Contacts").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", CreateContact).WithName("CreateContact").WithIdempotency();
        g.MapGet("/", ListContacts).WithName("ListContacts");
        g.MapContactImport();
        g.MapGet("/{id:guid}", GetContact).WithName("GetContact");
        g.MapPatch("/{id:guid}", UpdateContact).WithName("UpdateContact").ProducesProblem(404);
        g.MapGet("/{id:guid}/timeline", GetTimeline).WithName("ContactTimeline").ProducesProblem(404);
        return g;
    }

    static async Task<Results<Created<ContactView>, ValidationProblem, ProblemHttpResult>> CreateContact(
        CreateContactRequest body, HttpContext http, ContactService contacts, TouchpointDb db, CancellationToken ct)
    {
        var (contact, errors) = await contacts.BuildAsync(http.User.WorkspaceId(), body, ct);
        if (contact is null) return TypedResults.ValidationProblem(errors);
        if (await contacts.ExternalIdTakenAsync(contact.ExternalId, ct))
            return TypedResults.Problem($"A contact with externalId '{contact.ExternalId}' already exists.", statusCode: 409);
        db.Contacts.Add(contact);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // A concurrent create took the external id after our check: the same answer the check gives.
            return TypedResults.Problem($"A contact with externalId '{contact.ExternalId}' already exists.", statusCode: 409);
        }
        return TypedResults.Created($"/api/v1/contacts/{contact.Id}", ContactView.From(contact));
    }

    static async Task<Results<Ok<ContactView>, ProblemHttpResult>> GetContact(Guid id, ContactService contacts, CancellationToken ct) =>
        await contacts.GetAsync(id, ct) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem($"Contact {id} not found.", statusCode: 404);

    static async Task<Results<Ok<ContactPage>, ValidationProblem>> ListContacts(
        [AsParameters] ContactListQuery query, ContactService contacts, CancellationToken ct)
    {
        var errors = new Shared.FieldErrors();
        Guid? after = null;
        if (query.Cursor is not null)
        {
            if (Guid.TryParse(query.Cursor, out var c)) after = c;
            else errors.Add("cursor", "is not a cursor returned by this endpoint.");
        }
        if (query.Limit is < 1 or > 500) errors.Add("limit", "must be between 1 and 500.");
        LeadStage? stage = null;
        if (query.Stage is not null)
        {
            if (WireName.TryParse<LeadStage>(query.Stage, out var s)) stage = s;
            else errors.Add("stage", $"must be one of {string.Join(", ", WireName.All<LeadStage>())}.");
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await contacts.ListAsync(after, query.Limit ?? 100, query.Tag, stage, ct));
    }

    static async Task<Results<Ok<ContactView>, ValidationProblem, ProblemHttpResult>> UpdateContact(
        Guid id, UpdateContactRequest body, ContactUpdateService updates, ContactService contacts, CancellationToken ct)
    {
        var (contact, errors) = await updates.UpdateAsync(id, body, ct);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return contact is not null && await contacts.GetAsync(id, ct) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem($"Contact {id} not found.", statusCode: 404);
    }

    static async Task<Results<Ok<TimelinePage>, ValidationProblem, ProblemHttpResult>> GetTimeline(
        Guid id, [AsParameters] TimelineQuery query, ContactTimeline timeline, CancellationToken ct)
    {
        var errors = new Shared.FieldErrors();
        (DateTimeOffset, Guid)? after = null;
        if (query.Cursor is not null)
        {
            if (ContactTimeline.TryParseCursor(query.Cursor, out var c)) after = c;
            else errors.Add("cursor", "is not a cursor returned by this endpoint.");
        }
        if (query.Limit is < 1 or > 500) errors.Add("limit", "must be between 1 and 500.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await timeline.PageAsync(id, after, query.Limit ?? 100, ct) is { } page
            ? TypedResults.Ok(page)
            : TypedResults.Problem($"Contact {id} not found.", statusCode: 404);
    }
}
