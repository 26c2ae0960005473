using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;
using AiChatRecord = Touchpoint.Data.Entities.ChatMessage;

namespace Touchpoint.Features.Crm.Conversations;

public sealed record ChatMessageView(Guid Id, string Role, string Content, System.Text.Json.JsonElement? ToolCalls, DateTimeOffset CreatedAt)
{
    public static ChatMessageView From(AiChatRecord m) => new(m.Id, m.Role, m.Content,
        m.ToolCallsJson is null ? null : System.Text.Json.JsonDocument.Parse(m.ToolCallsJson).RootElement.Clone(), m.CreatedAt);
}

public sealed record AgentTranscript(Guid? ThreadId, List<ChatMessageView> Messages);

public static class ConversationsApi
{
    public static RouteGroupBuilder MapConversationsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/conversations").WithTags("CRM").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", List).WithName("ListConversations");
        g.MapGet("/{id:guid}", Get).WithName("GetConversation").ProducesProblem(404);
        g.MapGet("/{id:guid}/effective-config", Effective).WithName("GetEffectiveConfig").ProducesProblem(404);
        g.MapPut("/{id:guid}/overrides", PutOverrides).WithName("PutConversationOverrides").ProducesProblem(404);
        g.MapPost("/{id:guid}/move", Move).WithName("MoveConversation").ProducesProblem(404);
        g.MapPost("/{id:guid}/claim", Claim).WithName("ClaimConversation").ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/{id:guid}/release", Release).WithName("ReleaseConversation").ProducesProblem(404);
        g.MapPost("/{id:guid}/replies", Reply).WithName("ReplyAsHuman").ProducesProblem(404);
        g.MapPost("/{id:guid}/drafts/{draftId:guid}/approve", Approve).WithName("ApproveDraft").ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/{id:guid}/drafts/{draftId:guid}/reject", Reject).WithName("RejectDraft").ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/{id:guid}/memory", Memory).WithName("GetConversationMemory").ProducesProblem(404);
        g.MapGet("/{id:guid}/agent-transcript", Transcript).WithName("GetAgentTranscript").ProducesProblem(404);
        return g;
    }

    static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem($"Conversation {id} not found.", statusCode: 404);

    static string By(string? by, HttpContext http) => by ?? http.User.FindFirstValue(ClaimTypes.Name) ?? "api";

    static async Task<Results<Ok<ConversationList>, ValidationProblem>> List([AsParameters] ConversationListQuery query,
        ConversationService conversations, CancellationToken ct)
    {
        ConversationStatus? status = null;
        if (query.Status is not null)
        {
            if (!WireName.TryParse<ConversationStatus>(query.Status, out var s))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    { ["status"] = [$"must be one of {string.Join(", ", WireName.All<ConversationStatus>())}."] });
            status = s;
        }
        var rows = await conversations.ListAsync(query.BoardId, query.ColumnId, status, ct);
        return TypedResults.Ok(new ConversationList([.. rows.Select(ConversationCard.From)]));
    }

    static async Task<Results<Ok<ConversationView>, ProblemHttpResult>> Get(Guid id, ConversationService conversations, CancellationToken ct) =>
        await conversations.GetAsync(id, ct) is { } view ? TypedResults.Ok(view) : NotFound(id);

    static async Task<Results<Ok<EffectiveConfigView>, ProblemHttpResult>> Effective(Guid id, ConversationService conversations, CancellationToken ct) =>
        await conversations.FindAsync(id, ct) is { } c ? TypedResults.Ok(await conversations.EffectiveAsync(c, ct)) : NotFound(id);

    static async Task<Results<Ok<EffectiveConfigView>, ValidationProblem, ProblemHttpResult>> PutOverrides(Guid id, CrmConfig body,
        ConversationService conversations, CancellationToken ct)
    {
        var errors = new FieldErrors();
        foreach (var (field, message) in body.Validate("overrides")) errors.Add(field[("overrides.".Length)..], message);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await conversations.SetOverridesAsync(id, body, ct) == CardOutcome.NotFound) return NotFound(id);
        return TypedResults.Ok(await conversations.EffectiveAsync((await conversations.FindAsync(id, ct))!, ct));
    }

    static async Task<Results<Ok<ConversationCard>, ValidationProblem, ProblemHttpResult>> Move(Guid id, MoveConversationRequest body,
        HttpContext http, ConversationService conversations, CancellationToken ct)
    {
        if (body.ColumnId is not { } columnId)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["columnId"] = ["is required."] });
        return await conversations.MoveAsync(id, columnId, By(body.By, http), ct) switch
        {
            CardOutcome.NotFound => NotFound(id),
            CardOutcome.Conflict => TypedResults.ValidationProblem(new Dictionary<string, string[]>
                { ["columnId"] = [$"no column {columnId} on this conversation's board."] }),
            _ => TypedResults.Ok(ConversationCard.From((await conversations.FindAsync(id, ct))!)),
        };
    }

    static async Task<Results<Ok<ConversationCard>, ProblemHttpResult>> Claim(Guid id, ClaimRequest? body, HttpContext http,
        ConversationService conversations, CancellationToken ct) =>
        await conversations.ClaimAsync(id, By(body?.By, http), ct) switch
        {
            CardOutcome.NotFound => NotFound(id),
            CardOutcome.Conflict => TypedResults.Problem("Another person has claimed this conversation; it must be released first.", statusCode: 409),
            _ => TypedResults.Ok(ConversationCard.From((await conversations.FindAsync(id, ct))!)),
        };

    static async Task<Results<Ok<ConversationCard>, ProblemHttpResult>> Release(Guid id, ClaimRequest? body, HttpContext http,
        ConversationService conversations, CancellationToken ct) =>
        await conversations.ReleaseAsync(id, By(body?.By, http), ct) == CardOutcome.NotFound
            ? NotFound(id) : TypedResults.Ok(ConversationCard.From((await conversations.FindAsync(id, ct))!));

    static async Task<Results<Ok<SendResultView>, ValidationProblem, ProblemHttpResult>> Reply(Guid id, HumanReplyRequest body,
        HttpContext http, ConversationService conversations, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Body))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["is required."] });
        return await conversations.ReplyAsHumanAsync(id, body.Body, By(body.By, http), ct) is { } result ? TypedResults.Ok(result) : NotFound(id);
    }

    static async Task<Results<Ok<SendResultView>, ProblemHttpResult>> Approve(Guid id, Guid draftId, ApproveDraftRequest? body,
        HttpContext http, ConversationService conversations, CancellationToken ct)
    {
        var (outcome, result) = await conversations.ApproveDraftAsync(id, draftId, body?.Body, By(body?.By, http), ct);
        return outcome switch
        {
            CardOutcome.NotFound => TypedResults.Problem($"Draft {draftId} not found in conversation {id}.", statusCode: 404),
            CardOutcome.Conflict => TypedResults.Problem($"Message {draftId} is not a pending draft.", statusCode: 409),
            _ => TypedResults.Ok(result!),
        };
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Reject(Guid id, Guid draftId, ApproveDraftRequest? body, HttpContext http,
        ConversationService conversations, CancellationToken ct) =>
        await conversations.RejectDraftAsync(id, draftId, By(body?.By, http), ct) switch
        {
            CardOutcome.NotFound => TypedResults.Problem($"Draft {draftId} not found in conversation {id}.", statusCode: 404),
            CardOutcome.Conflict => TypedResults.Problem($"Message {draftId} is not a pending draft.", statusCode: 409),
            _ => TypedResults.NoContent(),
        };

    static async Task<Results<Ok<MemoryHistory>, ProblemHttpResult>> Memory(Guid id, ConversationService conversations,
        ConversationMemory memory, CancellationToken ct) =>
        await conversations.FindAsync(id, ct) is null ? NotFound(id) : TypedResults.Ok(new MemoryHistory(await memory.HistoryAsync(id, ct)));

    static async Task<Results<Ok<AgentTranscript>, ProblemHttpResult>> Transcript(Guid id, TouchpointDb db, CancellationToken ct)
    {
        if (!await db.Conversations.AnyAsync(c => c.Id == id, ct)) return NotFound(id);
        var thread = await db.ConversationThreads.AsNoTracking().FirstOrDefaultAsync(t => t.ConversationId == id, ct);
        if (thread is null) return TypedResults.Ok(new AgentTranscript(null, []));
        var messages = await db.ChatMessages.AsNoTracking().Where(m => m.ThreadId == thread.Id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        return TypedResults.Ok(new AgentTranscript(thread.Id, [.. messages.Select(ChatMessageView.From)]));
    }
}
