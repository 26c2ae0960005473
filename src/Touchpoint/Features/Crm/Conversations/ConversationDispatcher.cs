using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Keywords;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Crm.Agents;
using Touchpoint.Features.Messaging;
using Touchpoint.Features.Policy;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Crm.Conversations;

/// <summary>
/// Answers one inbound conversation message (seed 002 dispatcher): refresh the smart memory, run the fast gates
/// (<see cref="DispatchGates"/>) on fresh facts, then — only if they let it — the agent; its answer is sent
/// (AI_MODE), kept as a draft for approval (HYBRID / escalated), or the conversation is escalated. The gate
/// outcome is written on the card as an event, so "why did the AI (not) answer" is always visible.
/// </summary>
public sealed class ConversationDispatcher(TouchpointDb db, ConversationService conversations, ConversationMemory memory,
    AgentRunner agents, PolicyGate policy, MessageSubmission submission, TimeProvider clock)
{
    /// <summary>Policy denials that no waiting cures and that forbid ANY message, even a reply.</summary>
    static readonly HashSet<string> Unreachable = [PolicyReasonCodes.Suppressed, PolicyReasonCodes.ConsentOptOut,
        PolicyReasonCodes.AddressDnc, PolicyReasonCodes.NoAddress];

    /// <summary>An automation turn is outreach (marketing): missing consent also means nothing may go out, so no model call.</summary>
    static readonly HashSet<string> UnreachableForOutreach = [.. Unreachable, PolicyReasonCodes.ConsentRequired, PolicyReasonCodes.AttestationMissing];

    public const string Dispatched = "dispatched";

    // Another reply filed into the conversation after it was read fails the turn's first save that changes the conversation,
    // so nothing of the turn was stored: it is decided again with that reply in view.
    public Task DispatchAsync(Guid workspaceId, Guid conversationId, Guid messageId, CancellationToken ct) =>
        WriteConflict.RedoOnConflictAsync(db, async () =>
        {
            await DispatchOnceAsync(workspaceId, conversationId, messageId, ct);
            return true;
        });

    async Task DispatchOnceAsync(Guid workspaceId, Guid conversationId, Guid messageId, CancellationToken ct)
    {
        var c = await db.Conversations.IgnoreQueryFilters().FirstOrDefaultAsync(x => x.WorkspaceId == workspaceId && x.Id == conversationId, ct);
        var inbound = await db.ConversationMessages.IgnoreQueryFilters().FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.Id == messageId, ct);
        if (c is null || inbound is null || inbound.Status == Dispatched) return; // a retry after success: nothing to do
        await memory.UpdateAsync(c, ct);

        var result = await GatesAsync(c, inbound.Content, IsKeyword(inbound), MessagePurpose.TransactionalReply, ct);
        inbound.Status = Dispatched;
        ConversationLog.Event(db, c, $"dispatcher: {WireName.Of(result.Gates.Outcome)} — {result.Gates.Reason}", clock.GetUtcNow(),
            new { kind = "dispatch", inboundMessageId = inbound.Id, outcome = WireName.Of(result.Gates.Outcome), result.Gates.Reason, trace = result.Gates.Trace });

        switch (result.Gates.Outcome)
        {
            case DispatchOutcome.Escalate:
                await EscalateAsync(c, result.Gates.Reason, ct);
                break;
            case DispatchOutcome.Draft or DispatchOutcome.Reply:
                await AnswerAsync(c, result.Config, result.Gates.Outcome == DispatchOutcome.Draft, $"crm-reply:{inbound.Id}", null, ct);
                break;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// An agent turn that no inbound message asked for (automation run_agent): the same gates (reachability judged for
    /// the marketing purpose it is sent with), the rule's instruction in the agent's context. Returns the outcome:
    /// a gate's (<c>silenced</c>, <c>blocked</c>, <c>capped</c>, <c>escalate</c>) or <c>replied</c>/<c>drafted</c>/<c>escalated</c>.
    /// </summary>
    public async Task<string> RunAgentAsync(Conversation c, string instruction, string idempotencyKey, CancellationToken ct)
    {
        await memory.UpdateAsync(c, ct);
        var result = await GatesAsync(c, "", false, MessagePurpose.Marketing, ct);
        ConversationLog.Event(db, c, $"automation agent: {WireName.Of(result.Gates.Outcome)} — {result.Gates.Reason}", clock.GetUtcNow(),
            new { kind = "automation_agent", outcome = WireName.Of(result.Gates.Outcome), result.Gates.Reason, trace = result.Gates.Trace });
        var outcome = WireName.Of(result.Gates.Outcome);
        if (result.Gates.Outcome is DispatchOutcome.Draft or DispatchOutcome.Reply)
            outcome = await AnswerAsync(c, result.Config, result.Gates.Outcome == DispatchOutcome.Draft, idempotencyKey, instruction, ct);
        else if (result.Gates.Outcome == DispatchOutcome.Escalate) await EscalateAsync(c, result.Gates.Reason, ct);
        await db.SaveChangesAsync(ct);
        return outcome;
    }

    async Task<(GateResult Gates, EffectiveConfig Config)> GatesAsync(Conversation c, string text, bool keyword, MessagePurpose purpose,
        CancellationToken ct)
    {
        var view = await conversations.EffectiveAsync(c, ct);
        var contact = await db.Contacts.IgnoreQueryFilters().AsNoTracking().FirstAsync(x => x.WorkspaceId == c.WorkspaceId && x.Id == c.ContactId, ct);
        var now = clock.GetUtcNow();
        var verdict = await policy.EvaluateAsync(c.ContactId, c.Channel, purpose, null, now, ct);
        var permanent = purpose == MessagePurpose.Marketing ? UnreachableForOutreach : Unreachable;
        var unreachable = verdict is { AllowSend: false } v && permanent.Contains(v.ReasonCode) ? v.ReasonCode : null;
        var since = now - TimeSpan.FromHours(24);
        var aiToday = await db.ConversationMessages.IgnoreQueryFilters().CountAsync(m => m.WorkspaceId == c.WorkspaceId
            && m.ConversationId == c.Id && m.Role == ConversationLog.Assistant && m.OutboundMessageId != null && m.CreatedAt >= since, ct);
        var input = new GateInput(view.Mode, c.ClaimedBy is not null, c.Status == ConversationStatus.Review, keyword, unreachable, aiToday,
            view.Effective, text, contact.Tags);
        return (DispatchGates.Evaluate(input), view.Effective);
    }

    async Task<string> AnswerAsync(Conversation c, EffectiveConfig config, bool draftOnly, string key, string? instruction, CancellationToken ct)
    {
        var turn = await agents.RunAsync(c, config, instruction, ct);
        var escalation = EscalationRules.AfterAgent(config, turn.Confidence, turn.ProposedTags, turn.HandOffReason);
        var now = clock.GetUtcNow();
        var details = new { agentThreadId = turn.ThreadId, confidence = turn.Confidence, proposedTags = turn.ProposedTags, escalation };
        if (escalation is not null || draftOnly)
        {
            if (turn.Reply.Length > 0)
            {
                var draft = ConversationLog.Append(db, c, Direction.Outbound, ConversationLog.Assistant, turn.Reply, now, status: "draft", details: details);
                draft.ApprovalState = ConversationLog.DraftPending;
            }
            if (escalation is not null) await EscalateAsync(c, escalation, ct);
            return escalation is null ? "drafted" : "escalated";
        }

        var message = ConversationLog.Append(db, c, Direction.Outbound, ConversationLog.Assistant, turn.Reply, now, details: details);
        await db.SaveChangesAsync(ct);
        var purpose = instruction is null ? ConversationService.ReplyPurpose(c, now) : MessagePurpose.Marketing;
        var outcome = await submission.SubmitAsync(new SendCommand(c.WorkspaceId, c.ContactId, c.Channel, purpose, key,
            Body: turn.Reply, ConversationId: c.Id), recordRenderFailure: true, ct);
        message.OutboundMessageId = outcome.Message?.Id;
        message.Status = outcome.Message is { } sent ? WireName.Of(sent.Status) : "invalid";
        return "replied";
    }

    /// <summary>
    /// Hands the conversation to a human: to the board's first HUMAN_MODE column (else its first HYBRID column other
    /// than the current one), status <c>review</c>, with the reason on the card and a review item.
    /// </summary>
    public async Task EscalateAsync(Conversation c, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var columns = await db.BoardColumns.IgnoreQueryFilters().Where(x => x.WorkspaceId == c.WorkspaceId && x.BoardId == c.BoardId)
            .OrderBy(x => x.Position).ToListAsync(ct);
        var target = columns.FirstOrDefault(x => x.Mode == ColumnMode.HumanMode)
            ?? columns.FirstOrDefault(x => x.Mode == ColumnMode.Hybrid && x.Id != c.ColumnId);
        if (target is not null) conversations.Move(c, target, "dispatcher", reason);
        c.Status = ConversationStatus.Review;
        c.EscalationReason = reason.Length <= 500 ? reason : reason[..500];
        c.EscalatedAt = now;
        ConversationLog.Event(db, c, $"escalated to a human: {reason}", now, new { kind = "escalated", reason, column = target?.Id });
        db.ReviewItems.Add(new ReviewItem
        {
            WorkspaceId = c.WorkspaceId, ContactId = c.ContactId, ConversationId = c.Id, Kind = "conversation_escalation",
            Reason = c.EscalationReason, CreatedAt = now, UpdatedAt = now,
        });
    }

    static bool IsKeyword(ConversationMessage m)
    {
        using var doc = JsonDocument.Parse(m.RawPayloadJson);
        return doc.RootElement.TryGetProperty("keywordClass", out var k) && k.GetString() is { } cls
            && WireName.TryParse<KeywordClass>(cls, out var parsed) && parsed is KeywordClass.OptOut or KeywordClass.OptIn or KeywordClass.Help or KeywordClass.OptOutLike;
    }
}

/// <summary>Queue handler for <c>crm.dispatch</c>: one inbound conversation message.</summary>
public sealed class ConversationDispatchJob(ConversationDispatcher dispatcher) : IJobHandler
{
    public const string Kind = "crm.dispatch";

    public Task HandleAsync(ClaimedJob job, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<ConversationDispatchPayload>(job.PayloadJson, JsonSerializerOptions.Web)
            ?? throw new PermanentJobFailure("crm.dispatch payload is empty.");
        return dispatcher.DispatchAsync(job.WorkspaceId, payload.ConversationId, payload.MessageId, ct);
    }
}
