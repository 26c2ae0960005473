using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Webhooks;

public sealed record SandboxInboundRequest(string? Channel, string? From, string? To, string? Body);

public sealed record SandboxEventRequest(string? MessageId, string? Status, string? ErrorCode);

/// <summary>
/// Simulated replies and delivery events (ARCHITECTURE §7). They skip only the signature step: each is archived
/// as a <c>sandbox</c> delivery and goes through the same <see cref="WebhookIngestBatcher"/> as a real callback.
/// </summary>
public static class SandboxEventsApi
{
    public static RouteGroupBuilder MapSandboxEventsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/sandbox").WithTags("Sandbox").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/inbound", SimulateInbound).WithName("SandboxInbound");
        g.MapPost("/events", SimulateEvent).WithName("SandboxEvent");
        return g;
    }

    static async Task<Results<Ok<WebhookReceipt>, ValidationProblem>> SimulateInbound(SandboxInboundRequest body,
        HttpContext http, WebhookArchive archive, WebhookIngestBatcher ingest, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("from", body.From);
        if (!WireName.TryParse<Channel>(body.Channel, out var channel))
            errors.Add("channel", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        // Each simulated reply is a new fact: a fresh id is both its dedupe key and its provider message id.
        var payload = new SandboxPayload(SandboxPayload.Inbound, "sbx-" + Guid.CreateVersion7().ToString("N"), channel,
            body.From, body.To, body.Body ?? "", null, null, null, clock.GetUtcNow().ToUniversalTime());
        return TypedResults.Ok(await RunAsync(http, archive, ingest, payload, ct));
    }

    static async Task<Results<Ok<WebhookReceipt>, ValidationProblem, ProblemHttpResult>> SimulateEvent(SandboxEventRequest body,
        HttpContext http, TouchpointDb db, WebhookArchive archive, WebhookIngestBatcher ingest, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (!Guid.TryParse(body.MessageId, out var messageId)) errors.Add("messageId", "must be the id of an outbound message.");
        if (!WireName.TryParse<MessageStatus>(body.Status, out var status))
            errors.Add("status", $"must be one of {string.Join(", ", WireName.All<MessageStatus>())}.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!await db.OutboundMessages.AnyAsync(m => m.Id == messageId, ct))
            return TypedResults.Problem($"Message {messageId} not found.", statusCode: 404);
        // Same dedupe rule as Twilio status callbacks: one (message, status) pair applies once.
        var payload = new SandboxPayload(SandboxPayload.StatusKind, $"{messageId}:{WireName.Of(status)}", null, null, null, null,
            messageId, status, body.ErrorCode, clock.GetUtcNow().ToUniversalTime());
        return TypedResults.Ok(await RunAsync(http, archive, ingest, payload, ct));
    }

    static async Task<WebhookReceipt> RunAsync(HttpContext http, WebhookArchive archive, WebhookIngestBatcher ingest,
        SandboxPayload payload, CancellationToken ct)
    {
        var delivery = archive.Synthetic(http.User.WorkspaceId(), WebhookProviders.Sandbox, http.Request.Path.Value ?? "", payload.ToBytes());
        var processed = await ingest.SubmitAsync(delivery, process: true, ct);
        http.Response.Headers[WebhookReceiver.DeliveryIdHeader] = processed.Id.ToString();
        return new WebhookReceipt(processed.Id, WireName.Of(processed.Outcome));
    }
}
