using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Inbound;

/// <summary>
/// RFC 8058 endpoints, anonymous (the token authenticates): <c>POST /u/{token}</c> with
/// <c>List-Unsubscribe=One-Click</c> unsubscribes and answers 200 — never a redirect, mail providers do not follow
/// them — and <c>GET /u/{token}</c> only shows a confirmation page, because link scanners prefetch GETs.
/// </summary>
public static class UnsubscribeApi
{
    public const string FormField = "List-Unsubscribe", FormValue = "One-Click";

    public static IEndpointConventionBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/u").WithTags("Unsubscribe").AllowAnonymous();
        g.MapGet("/{token}", ConfirmationPage).WithName("UnsubscribePage").ProducesProblem(404);
        g.MapPost("/{token}", Unsubscribe).WithName("OneClickUnsubscribe").DisableAntiforgery().ProducesProblem(400).ProducesProblem(404);
        return g;
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> ConfirmationPage(string token, UnsubscribeLinks links, TouchpointDb db,
        CancellationToken ct)
    {
        if (links.Read(token) is not { } target || !await WorkspaceExistsAsync(db, target, ct)) return NotFound();
        var action = WebUtility.HtmlEncode($"/u/{token}");
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <meta name="robots" content="noindex"><title>Unsubscribe</title></head>
            <body><main><h1>Unsubscribe</h1>
            <p>Stop e-mails to <strong>{WebUtility.HtmlEncode(target.Address)}</strong>?</p>
            <form method="post" action="{action}"><input type="hidden" name="{FormField}" value="{FormValue}">
            <button type="submit">Unsubscribe</button></form></main></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> Unsubscribe(
        string token, HttpContext http, UnsubscribeLinks links, OneClickUnsubscribe unsubscribe, TouchpointDb db, CancellationToken ct)
    {
        if (links.Read(token) is not { } target || !await WorkspaceExistsAsync(db, target, ct)) return NotFound();
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        if (form is null || !string.Equals(form[FormField], FormValue, StringComparison.OrdinalIgnoreCase))
        {
            var errors = new FieldErrors();
            errors.Add(FormField, $"must be {FormValue} (RFC 8058), sent as a form body.");
            return TypedResults.ValidationProblem(errors);
        }
        await unsubscribe.ApplyAsync(target, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString(), ct);
        return TypedResults.Content("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head>" +
            "<body><p>You are unsubscribed.</p></body></html>", "text/html; charset=utf-8");
    }

    static Task<bool> WorkspaceExistsAsync(TouchpointDb db, UnsubscribeTarget target, CancellationToken ct) =>
        db.Workspaces.AnyAsync(w => w.Id == target.WorkspaceId, ct);

    static ProblemHttpResult NotFound() => TypedResults.Problem("Unknown or invalid unsubscribe link.", statusCode: 404);
}

/// <summary>The effect of a one-click unsubscribe: the full opt-out for e-mail, once (mail clients may POST twice).</summary>
public sealed class OneClickUnsubscribe(TouchpointDb db, OptOutRecorder optOuts, TimeProvider clock)
{
    public async Task ApplyAsync(UnsubscribeTarget target, string? remoteIp, string? userAgent, CancellationToken ct)
    {
        var contactExists = await db.Contacts.IgnoreQueryFilters()
            .AnyAsync(c => c.WorkspaceId == target.WorkspaceId && c.Id == target.ContactId, ct);
        var alreadyOut = await db.Consents.IgnoreQueryFilters().AnyAsync(c => c.WorkspaceId == target.WorkspaceId
            && c.ContactId == target.ContactId && c.Channel == Channel.Email && c.Status == ConsentStatus.OptOut, ct)
            && await db.Suppressions.IgnoreQueryFilters().AnyAsync(s => s.WorkspaceId == target.WorkspaceId && s.RemovedAt == null
                && s.Value == target.Address && s.Reason == SuppressionReason.OptedOut, ct);
        if (alreadyOut) return;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await optOuts.RecordAsync(new OptOutFact(target.WorkspaceId, contactExists ? target.ContactId : null, Channel.Email, target.Address,
            "one_click_unsubscribe", new { messageId = target.MessageId, method = "RFC 8058 one-click", remoteIp, userAgent,
                at = clock.GetUtcNow() }), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
