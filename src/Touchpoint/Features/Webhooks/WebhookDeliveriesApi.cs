using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Webhooks;

public sealed record WebhookDeliveryView(Guid Id, string Provider, string Method, string Path, string? QueryString,
    DateTimeOffset ReceivedAt, string? RemoteAddress, string? SignatureVerdict, string? ProviderEventId, string? DedupeKey,
    string Outcome, string? Error, DateTimeOffset? ProcessedAt, int BodyBytes,
    Dictionary<string, string>? Headers = null, string? BodyText = null)
{
    public static WebhookDeliveryView From(WebhookDelivery d, bool full = false) => new(d.Id, d.Provider, d.Method, d.Path,
        d.QueryString, d.ReceivedAt, d.RemoteAddress, d.SignatureVerdict, d.ProviderEventId, d.DedupeKey, WireName.Of(d.Outcome),
        d.Error, d.ProcessedAt, d.Body.Length,
        full ? JsonSerializer.Deserialize<Dictionary<string, string>>(d.HeadersJson) : null,
        full ? Encoding.UTF8.GetString(d.Body) : null);
}

public sealed record WebhookDeliveryQuery(string? Outcome, string? Provider, int? Limit);

/// <summary>The raw archive for the dashboard and operators, and re-driving deliveries that did not apply.</summary>
public static class WebhookDeliveriesApi
{
    public static RouteGroupBuilder MapWebhookDeliveriesApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/webhooks/deliveries").WithTags("Webhooks").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", ListDeliveries).WithName("ListWebhookDeliveries");
        g.MapGet("/{id:guid}", GetDelivery).WithName("GetWebhookDelivery");
        g.MapPost("/{id:guid}/reprocess", Reprocess).WithName("ReprocessWebhookDelivery");
        return g;
    }

    static async Task<Results<Ok<List<WebhookDeliveryView>>, ValidationProblem>> ListDeliveries(
        [AsParameters] WebhookDeliveryQuery query, TouchpointDb db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        WebhookOutcome? outcome = null;
        if (query.Outcome is not null)
        {
            if (WireName.TryParse<WebhookOutcome>(query.Outcome, out var o)) outcome = o;
            else errors.Add("outcome", $"must be one of {string.Join(", ", WireName.All<WebhookOutcome>())}.");
        }
        if (query.Limit is < 1 or > 500) errors.Add("limit", "must be between 1 and 500.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var rows = db.WebhookDeliveries.AsNoTracking();
        if (outcome is { } wanted) rows = rows.Where(d => d.Outcome == wanted);
        if (query.Provider is { } provider) rows = rows.Where(d => d.Provider == provider);
        var list = await rows.OrderByDescending(d => d.Id).Take(query.Limit ?? 100).ToListAsync(ct);
        return TypedResults.Ok(list.Select(d => WebhookDeliveryView.From(d)).ToList());
    }

    static async Task<Results<Ok<WebhookDeliveryView>, ProblemHttpResult>> GetDelivery(Guid id, TouchpointDb db, CancellationToken ct) =>
        await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } d
            ? TypedResults.Ok(WebhookDeliveryView.From(d, full: true))
            : TypedResults.Problem($"Webhook delivery {id} not found.", statusCode: 404);

    /// <summary>Only verified deliveries that did not apply: anything else would bypass verification or apply twice.</summary>
    public static bool CanReprocess(WebhookDelivery d) =>
        d.Outcome is WebhookOutcome.Failed or WebhookOutcome.Unparsed or WebhookOutcome.Received
        && (d.SignatureVerdict == WebhookReceiver.SignatureValid || d.Provider == WebhookProviders.Sandbox);

    /// <summary>Re-runs normalize → dedupe → apply on the archived bytes. Signature-rejected, truncated,
    /// processed and duplicate deliveries are not re-driven: that would bypass verification or apply twice.</summary>
    static async Task<Results<Ok<WebhookDeliveryView>, ProblemHttpResult>> Reprocess(
        Guid id, TouchpointDb db, WebhookProcessor processor, CancellationToken ct)
    {
        var d = await db.WebhookDeliveries.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null) return TypedResults.Problem($"Webhook delivery {id} not found.", statusCode: 404);
        if (!CanReprocess(d))
            return TypedResults.Problem(
                $"Delivery {id} is '{WireName.Of(d.Outcome)}' (signature: {d.SignatureVerdict ?? "unchecked"}); only verified failed, unparsed or received deliveries can be reprocessed.",
                statusCode: 409);
        return TypedResults.Ok(WebhookDeliveryView.From(await processor.ProcessAsync(d, ct)));
    }
}
