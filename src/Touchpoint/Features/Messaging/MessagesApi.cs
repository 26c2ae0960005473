using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Idempotency;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Messaging;

public sealed record SendMessageRequest(Guid? ContactId, string? Channel, string? Body, string? Subject, string? TemplateKey,
    JsonObject? Variables, string? Purpose);

public sealed record MessageDecisionView(Guid Id, bool AllowSend, string ReasonCode, JsonElement RuleTrace, DateTimeOffset? NextAllowedAt,
    DateTimeOffset EvaluatedAt)
{
    public static MessageDecisionView From(PolicyDecision d) => new(d.Id, d.AllowSend, d.ReasonCode,
        JsonSerializer.Deserialize<JsonElement>(d.RuleTraceJson), d.NextAllowedAt, d.EvaluatedAt);
}

public sealed record SendMessageResponse(Guid Id, MessageStatus Status, DateTimeOffset? ScheduledFor, MessageDecisionView? Decision,
    string? ErrorCode, string? ErrorMessage);

public sealed record MessageStatusChange(MessageStatus? Status, string EventType, string? Provider, string? ErrorCode, DateTimeOffset OccurredAt);

public sealed record MessageView(
    Guid Id, Guid ContactId, Guid? CampaignId, Guid? EnrollmentId, int? StepIndex, Channel Channel, string Provider, string Purpose,
    MessageStatus Status, string? To, string? QaRedirectedFrom, string? Subject, string? Body, string? TemplateKey, string IdempotencyKey,
    string? ProviderMessageId, decimal? Cost, string? Currency, string? ErrorCode, string? ErrorMessage, DateTimeOffset? ScheduledFor,
    DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    MessageDecisionView? Decision, IReadOnlyList<MessageStatusChange>? History)
{
    public static MessageView From(OutboundMessage m, PolicyDecision? decision, IReadOnlyList<MessageStatusChange>? history) => new(
        m.Id, m.ContactId, m.CampaignId, m.EnrollmentId, m.StepIndex, m.Channel, m.Provider, m.Purpose, m.Status, m.ToAddress,
        m.QaRedirectedFrom, m.Subject, m.Body, m.TemplateKey, m.IdempotencyKey, m.ProviderMessageId, m.Cost, m.Currency,
        m.ErrorCode, m.ErrorMessage, m.ScheduledFor, m.SentAt, m.DeliveredAt, m.CreatedAt, m.UpdatedAt,
        decision is null ? null : MessageDecisionView.From(decision), history);
}

public sealed record MessagePage(IReadOnlyList<MessageView> Items, string? NextCursor);

public sealed record MessageListQuery(Guid? ContactId, Guid? CampaignId, string? Status, string? Cursor, int? Limit);

public sealed record SandboxOutboxView(Guid Id, Guid MessageId, Guid ContactId, Guid? CampaignId, int? StepIndex, Channel Channel,
    string To, string? Subject, string Body, DateTimeOffset SentAt);

/// <summary>
/// <c>POST /api/v1/messages</c> and the message views (ARCHITECTURE §10). Sends go through the same
/// <see cref="MessageSubmission"/> as campaign touches: policy, render, outbox — no bypass.
/// </summary>
public static class MessagesApi
{
    public const int MaxIdempotencyKeyLength = 255;

    public static void MapMessagesApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/messages").WithTags("Messages").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", Send).WithName("SendMessage").ProducesProblem(404).WithIdempotency();
        g.MapGet("/", List).WithName("ListMessages");
        g.MapGet("/{id:guid}", Get).WithName("GetMessage").ProducesProblem(404);

        v1.MapGroup("/sandbox").WithTags("Sandbox").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy)
            .MapGet("/outbox", Outbox).WithName("SandboxOutbox");
    }

    static async Task<Results<Accepted<SendMessageResponse>, ValidationProblem, ProblemHttpResult>> Send(
        SendMessageRequest body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, HttpContext http,
        MessageSubmission submission, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body.ContactId is null) errors.Add("contactId", "is required.");
        if (!WireName.TryParse<Channel>(body.Channel, out var channel))
            errors.Add("channel", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
        var purpose = MessagePurpose.Marketing;
        if (body.Purpose is not null && !WireName.TryParse(body.Purpose, out purpose))
            errors.Add("purpose", "must be marketing or transactional_reply.");
        if (body.Body is null && body.TemplateKey is null) errors.Add("body", "is required unless templateKey is given.");
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
            errors.Add("Idempotency-Key", $"must be 1 to {MaxIdempotencyKeyLength} characters.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        // Without a key every request is a new send; with one, a retry returns the first send.
        var key = "api:" + (idempotencyKey ?? Guid.CreateVersion7().ToString("N"));
        var outcome = await submission.SubmitAsync(new SendCommand(http.User.WorkspaceId(), body.ContactId!.Value, channel, purpose, key,
            body.Body, body.Subject, body.TemplateKey, body.Variables), recordRenderFailure: false, ct);
        return outcome.Status switch
        {
            SubmitStatus.ContactNotFound => TypedResults.Problem($"Contact {body.ContactId} not found.", statusCode: 404),
            SubmitStatus.Invalid => TypedResults.ValidationProblem(outcome.Errors),
            _ => TypedResults.Accepted($"/api/v1/messages/{outcome.Message!.Id}", new SendMessageResponse(outcome.Message.Id,
                outcome.Message.Status, outcome.Message.ScheduledFor,
                outcome.Decision is null ? null : MessageDecisionView.From(outcome.Decision),
                outcome.Message.ErrorCode, outcome.Message.ErrorMessage)),
        };
    }

    static async Task<Results<Ok<MessageView>, ProblemHttpResult>> Get(Guid id, TouchpointDb db, CancellationToken ct)
    {
        var message = await db.OutboundMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (message is null) return TypedResults.Problem($"Message {id} not found.", statusCode: 404);
        var decision = message.PolicyDecisionId is { } d
            ? await db.PolicyDecisions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == d, ct) : null;
        var history = await db.MessageEvents.AsNoTracking().Where(e => e.MessageId == id)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new MessageStatusChange(e.Status, e.EventType, e.Provider, e.ErrorCode, e.OccurredAt)).ToListAsync(ct);
        return TypedResults.Ok(MessageView.From(message, decision, history));
    }

    static async Task<Results<Ok<MessagePage>, ValidationProblem>> List([AsParameters] MessageListQuery query, TouchpointDb db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        MessageStatus? status = null;
        if (query.Status is not null)
        {
            if (WireName.TryParse<MessageStatus>(query.Status, out var s)) status = s;
            else errors.Add("status", $"must be one of {string.Join(", ", WireName.All<MessageStatus>())}.");
        }
        Guid? before = null;
        if (query.Cursor is not null)
        {
            if (Guid.TryParse(query.Cursor, out var c)) before = c;
            else errors.Add("cursor", "is not a cursor returned by this endpoint.");
        }
        if (query.Limit is < 1 or > 500) errors.Add("limit", "must be between 1 and 500.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var limit = query.Limit ?? 100;
        var rows = db.OutboundMessages.AsNoTracking();
        if (query.ContactId is { } contact) rows = rows.Where(m => m.ContactId == contact);
        if (query.CampaignId is { } campaign) rows = rows.Where(m => m.CampaignId == campaign);
        if (status is { } st) rows = rows.Where(m => m.Status == st);
        // UUIDv7 ids grow with time: newest first, and the cursor is the last id of the page.
        if (before is { } b) rows = rows.Where(m => m.Id.CompareTo(b) < 0);
        var page = await rows.OrderByDescending(m => m.Id).Take(limit + 1).ToListAsync(ct);
        var next = page.Count > limit ? page[limit - 1].Id.ToString() : null;
        return TypedResults.Ok(new MessagePage([.. page.Take(limit).Select(m => MessageView.From(m, null, null))], next));
    }

    static async Task<Ok<List<SandboxOutboxView>>> Outbox(Guid? contactId, Guid? campaignId, int? limit, TouchpointDb db, CancellationToken ct)
    {
        var rows = db.SandboxOutbox.AsNoTracking();
        if (contactId is { } c) rows = rows.Where(s => s.ContactId == c);
        if (campaignId is { } k) rows = rows.Where(s => s.CampaignId == k);
        var items = await rows.OrderBy(s => s.SentAt).ThenBy(s => s.Id).Take(Math.Clamp(limit ?? 1000, 1, 5000))
            .Select(s => new SandboxOutboxView(s.Id, s.MessageId, s.ContactId, s.CampaignId, s.StepIndex, s.Channel, s.To, s.Subject, s.Body, s.SentAt))
            .ToListAsync(ct);
        return TypedResults.Ok(items);
    }
}
