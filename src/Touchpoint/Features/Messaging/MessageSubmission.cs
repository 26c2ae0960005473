using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Policy;
using Touchpoint.Features.Shared;
using Touchpoint.Jobs;
using Touchpoint.Providers;

namespace Touchpoint.Features.Messaging;

/// <summary>
/// One message someone wants sent. <see cref="IdempotencyKey"/> is the whole identity of the send: a second
/// submission with the same key returns the first message and changes nothing (campaign touches use
/// <c>touch:{enrollment}:{step}:{channel}:{attempt}</c>, API sends <c>api:{Idempotency-Key}</c>).
/// </summary>
public sealed record SendCommand(
    Guid WorkspaceId,
    Guid ContactId,
    Channel Channel,
    MessagePurpose Purpose,
    string IdempotencyKey,
    string? Body = null,
    string? Subject = null,
    string? TemplateKey = null,
    JsonObject? Variables = null,
    Guid? CampaignId = null,
    Guid? EnrollmentId = null,
    int? StepIndex = null,
    Guid? ConversationId = null,
    string? ForcedProvider = null,
    string? ToAddress = null);

public enum SubmitStatus
{
    /// <summary>A new outbox row (queued, scheduled, denied, dry_run or — for recorded render failures — failed).</summary>
    Created,
    /// <summary>The idempotency key was seen before: <see cref="SubmitOutcome.Message"/> is the first submission's row.</summary>
    Existing,
    ContactNotFound,
    /// <summary>Nothing stored: the template is unknown or does not render (see <see cref="SubmitOutcome.Errors"/>).</summary>
    Invalid,
}

public sealed record SubmitOutcome(SubmitStatus Status, OutboundMessage? Message, PolicyDecision? Decision, FieldErrors Errors);

/// <summary>
/// The front half of the decision pipeline (ARCHITECTURE §4 steps 1, 2, 4, 5): resolve the address, ask the
/// policy engine (the decision is recorded whatever it says), render, and write the outbox row together with
/// its dispatch job in one transaction. Time-only denials become <c>scheduled</c> at <c>nextAllowedAt</c>;
/// any other denial is a <c>denied</c> row with its decision — never a silent drop.
/// </summary>
public sealed class MessageSubmission(TouchpointDb db, PolicyGate gate, ProviderAccounts accounts,
    IOptions<SchedulerOptions> scheduler, TimeProvider clock)
{
    public async Task<SubmitOutcome> SubmitAsync(SendCommand command, bool recordRenderFailure, CancellationToken ct)
    {
        if (await FindAsync(command.WorkspaceId, command.IdempotencyKey, ct) is { } existing)
            return await ExistingAsync(existing, ct);

        var contact = await db.Contacts.IgnoreQueryFilters().AsNoTracking().Include(c => c.Channels)
            .FirstOrDefaultAsync(c => c.WorkspaceId == command.WorkspaceId && c.Id == command.ContactId, ct);
        if (contact is null) return new(SubmitStatus.ContactNotFound, null, null, new FieldErrors());
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == command.WorkspaceId, ct);
        var template = command.TemplateKey is { } key ? await MessageContent.FindTemplateAsync(db, command.WorkspaceId, key, ct) : null;
        var account = await accounts.ForAsync(command.WorkspaceId, command.Channel, command.ForcedProvider, ct);
        var outcome = await ComposeAsync(command, contact, workspace, template, account, recordRenderFailure,
            message => gate.DecideAsync(command.WorkspaceId, command.ContactId, command.Channel, command.Purpose,
                command.CampaignId, command.EnrollmentId, message.Id, ct));
        if (outcome.Status != SubmitStatus.Created) return outcome;

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent submission with the same key won the unique index; it is the send.
            db.ChangeTracker.Clear();
            if (await FindAsync(command.WorkspaceId, command.IdempotencyKey, ct, fresh: true) is not { } raced) throw;
            return await ExistingAsync(raced, ct);
        }
        return outcome;
    }

    /// <summary>
    /// The submission without its reads and its save, shared by <see cref="SubmitAsync"/> and the touch
    /// orchestrator's batches: renders, asks <paramref name="decide"/> for the recorded policy decision (only when
    /// the content rendered), and adds the outbox row, its status and timeline events and its dispatch job to the
    /// unit of work. <paramref name="template"/> is the one <c>templateKey</c> names (null: none such).
    /// </summary>
    public async Task<SubmitOutcome> ComposeAsync(SendCommand command, Contact contact, Workspace workspace, MessageTemplate? template,
        ProviderAccount account, bool recordRenderFailure, Func<OutboundMessage, Task<(PolicyVerdict Verdict, PolicyDecision Row)?>> decide)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(decide);
        var errors = new FieldErrors();
        var content = MessageContent.Resolve(command, contact, workspace, template, errors);
        if (content is null && !recordRenderFailure) return new(SubmitStatus.Invalid, null, null, errors);

        var now = clock.GetUtcNow().ToUniversalTime();
        var message = new OutboundMessage
        {
            WorkspaceId = command.WorkspaceId, ContactId = command.ContactId, CampaignId = command.CampaignId,
            EnrollmentId = command.EnrollmentId, StepIndex = command.StepIndex, ConversationId = command.ConversationId,
            Channel = command.Channel, Provider = account.Provider, Subject = content?.Subject, Body = content?.Body,
            TemplateKey = command.TemplateKey, VariablesJson = command.Variables?.ToJsonString() ?? "{}",
            Purpose = WireName.Of(command.Purpose), IdempotencyKey = command.IdempotencyKey, CreatedAt = now, UpdatedAt = now,
        };

        PolicyDecision? decision = null;
        if (content is null)
        {
            // Recorded render failure (campaign touches): visible on the contact, nothing goes out.
            message.Status = MessageStatus.Failed;
            message.ErrorCode = MessageErrors.TemplateRender;
            message.ErrorMessage = string.Join("; ", errors.SelectMany(e => e.Value));
        }
        else
        {
            if (await decide(message) is not { } d) return new(SubmitStatus.ContactNotFound, null, null, new FieldErrors());
            decision = d.Row;
            message.PolicyDecisionId = d.Row.Id;
            // A reply goes where the inbound came from, even when that is not the contact's primary address.
            var address = command.ToAddress ?? PolicyRequestBuilder.ResolveAddress(contact, command.Channel)?.Value;
            message.ToAddress = address;
            QaSink.Apply(message, workspace);
            ApplyVerdict(message, d.Verdict, workspace.DryRun);
        }

        db.OutboundMessages.Add(message);
        db.MessageEvents.Add(MessageHistory.StatusEvent(message, now, decision?.ReasonCode));
        db.MemoryEvents.Add(MessageHistory.TimelineEvent(message, decision, now));
        if (message.Status is MessageStatus.Queued or MessageStatus.Scheduled)
            db.ScheduledActions.Add(DispatchJob.For(message, message.ScheduledFor ?? now, scheduler.Value.MaxAttempts, now, postponed: false));
        return new(SubmitStatus.Created, message, decision, errors);
    }

    static void ApplyVerdict(OutboundMessage message, PolicyVerdict verdict, bool dryRun)
    {
        if (verdict.AllowSend)
        {
            message.Status = dryRun ? MessageStatus.DryRun : MessageStatus.Queued;
            return;
        }
        if (verdict.NextAllowedAt is { } next)
        {
            message.Status = MessageStatus.Scheduled;
            message.ScheduledFor = next.ToDateTimeOffset();
            return;
        }
        message.Status = MessageStatus.Denied;
        message.ErrorCode = verdict.ReasonCode;
    }

    async Task<OutboundMessage?> FindAsync(Guid workspaceId, string key, CancellationToken ct, bool fresh = false)
    {
        var query = db.OutboundMessages.IgnoreQueryFilters().Where(m => m.WorkspaceId == workspaceId && m.IdempotencyKey == key);
        return fresh ? await query.AsNoTracking().FirstOrDefaultAsync(ct) : await query.FirstOrDefaultAsync(ct);
    }

    async Task<SubmitOutcome> ExistingAsync(OutboundMessage message, CancellationToken ct)
    {
        var decision = message.PolicyDecisionId is { } id
            ? await db.PolicyDecisions.IgnoreQueryFilters().AsNoTracking()
                .FirstOrDefaultAsync(p => p.WorkspaceId == message.WorkspaceId && p.Id == id, ct)
            : null;
        return new(SubmitStatus.Existing, message, decision, new FieldErrors());
    }
}

/// <summary>Stable error codes written to <c>outbound_messages.error_code</c> by Touchpoint itself (not a provider).</summary>
public static class MessageErrors
{
    public const string TemplateRender = "template_render";
    public const string ProviderNotConfigured = "provider_not_configured";
    public const string ProviderUnreachable = "provider_unreachable";
    public const string UncertainAfterCrash = "uncertain_after_crash";
}

/// <summary>qa_sink: every message of a channel goes to the workspace's test address, recorded as redirected.</summary>
static class QaSink
{
    public static void Apply(OutboundMessage message, Workspace workspace)
    {
        if (message.ToAddress is null) return;
        using var doc = JsonDocument.Parse(workspace.QaSinkJson);
        if (doc.RootElement.ValueKind == JsonValueKind.Object
            && doc.RootElement.TryGetProperty(WireName.Of(message.Channel), out var sink)
            && sink.ValueKind == JsonValueKind.String && sink.GetString() is { Length: > 0 } address)
        {
            message.QaRedirectedFrom = message.ToAddress;
            message.ToAddress = address;
        }
    }
}

/// <summary>The queue row that makes a dispatcher pick the message up; keyed so it is enqueued once per attempt.</summary>
static class DispatchJob
{
    public const string Kind = "message.dispatch";

    /// <summary>A postponement (time-only denial at send time) gets its own row, keyed by the instant it waits for.</summary>
    public static ScheduledAction For(OutboundMessage message, DateTimeOffset runAt, int maxAttempts, DateTimeOffset now, bool postponed) => new()
    {
        WorkspaceId = message.WorkspaceId, Kind = Kind, RunAt = runAt.ToUniversalTime(), MaxAttempts = maxAttempts,
        IdempotencyKey = postponed ? $"dispatch:{message.Id}:{runAt.UtcTicks}" : $"dispatch:{message.Id}",
        PayloadJson = JsonSerializer.Serialize(new DispatchPayload(message.Id)), CreatedAt = now, UpdatedAt = now,
    };
}

sealed record DispatchPayload(Guid MessageId);
