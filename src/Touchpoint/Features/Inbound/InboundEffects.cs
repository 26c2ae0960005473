using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Keywords;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Features.Campaigns;
using Touchpoint.Features.Webhooks;

namespace Touchpoint.Features.Inbound;

/// <summary>
/// What inbound facts mean (ARCHITECTURE §4 step 6, docs/keywords.md): STOP opts out, START opts back in, HELP is
/// answered, opt-out-like text goes to a human, any other reply engages; bounces, complaints, unsubscribes and
/// provider opt-out errors suppress. Runs inside the webhook delivery's transaction, on its context. The timeline
/// entries of <see cref="TimelineInboundEffects"/> are kept as they are and the effects added after them.
/// </summary>
public sealed class InboundEffects(TouchpointDb db, TimelineInboundEffects timeline, UnknownSenders unknownSenders,
    OptOutRecorder optOuts, KeywordReplies replies, ReviewQueue reviews, EnrollmentSignals enrollments,
    OptInRecorder optIns, WebhookSecrets tenants) : IInboundEffects
{
    public async Task ApplyAsync(InboundMessage message, KeywordMatch match, CancellationToken ct)
    {
        var workspace = await tenants.WorkspaceAsync(message.WorkspaceId, ct)
            ?? throw new InvalidOperationException($"Workspace {message.WorkspaceId} not found.");
        unknownSenders.TryCreateContact(message, workspace);
        await timeline.ApplyAsync(message, match, ct);
        // Keyword answers go through MessageSubmission, which reads the contact and the inbound message from the store;
        // a plain reply only adds rows, saved with the rest of its delivery.
        if (match.Class != KeywordClass.None) await db.SaveChangesAsync(ct);

        switch (match.Class)
        {
            case KeywordClass.OptOut:
                await optOuts.RecordAsync(new OptOutFact(message.WorkspaceId, message.ContactId, message.Channel, message.FromAddress,
                    "keyword", Evidence(message, match)), ct);
                if (message.ContactId is not null) await replies.ConfirmOptOutAsync(message, workspace, ct);
                break;
            case KeywordClass.OptIn when message.ContactId is { } contactId:
                await optIns.RecordAsync(message, contactId, Evidence(message, match), ct);
                await replies.ConfirmOptInAsync(message, ct);
                break;
            case KeywordClass.Help when message.ContactId is not null:
                await replies.HelpAsync(message, workspace, ct);
                break;
            case KeywordClass.OptOutLike when message.ContactId is { } contactId:
                // Not binding (docs/keywords.md): pause and ask a human, change nothing else.
                await reviews.OpenAsync(message, contactId, match, ct);
                break;
            case KeywordClass.None when message.ContactId is { } contactId:
                await enrollments.ContactRepliedAsync(message.WorkspaceId, contactId, message.Channel, message.Id, ct);
                break;
        }
    }

    /// <summary>Which of the batch's senders have live enrollments at all: a reply from one that has none needs no lookup.</summary>
    public Task PrepareBatchAsync(IReadOnlyCollection<InboundSender> senders, CancellationToken ct) =>
        enrollments.PrefetchLiveAsync([.. senders.Select(s => (s.WorkspaceId, s.ContactId))], ct);

    public async Task ApplyAsync(EmailEventReported e, OutboundMessage? message, CancellationToken ct)
    {
        await timeline.ApplyAsync(e, message, ct);
        if (e.Suppression is not ({ } reason and (SuppressionReason.Bounced or SuppressionReason.Complaint or SuppressionReason.OptedOut)))
            return;
        var workspaceId = message?.WorkspaceId ?? WorkspaceOfDelivery();
        var address = string.IsNullOrWhiteSpace(e.Email) ? message?.QaRedirectedFrom ?? message?.ToAddress : e.Email;
        var evidence = new { provider = "email", kind = WireName.Of(e.Kind), e.Email, e.Reason, messageId = message?.Id, eventKey = e.DedupeKey };
        if (reason == SuppressionReason.Bounced)
        {
            // A hard bounce says nothing about consent: the address is dead, not unwilling.
            await optOuts.SuppressAddressAsync(workspaceId, address, Channel.Email, reason, "email_bounce", evidence, ct);
            return;
        }
        var complaint = reason == SuppressionReason.Complaint;
        await optOuts.RecordAsync(new OptOutFact(workspaceId, message?.ContactId, Channel.Email, address,
            complaint ? "spam_report" : "email_unsubscribe", evidence, reason,
            complaint ? EnrollmentCause.Complaint : EnrollmentCause.OptOut), ct);
    }

    public async Task DeliveryFailedAsync(OutboundMessage message, string? errorCode, CancellationToken ct)
    {
        await timeline.DeliveryFailedAsync(message, errorCode, ct);
        if (ProviderErrorClass.Classify(errorCode).Kind == ProviderErrorKind.OptedOut)
        {
            // Twilio 21610: the carrier already blocks us because the person replied STOP to this sender.
            await optOuts.RecordAsync(new OptOutFact(message.WorkspaceId, message.ContactId, message.Channel,
                message.QaRedirectedFrom ?? message.ToAddress, "provider_" + errorCode,
                new { provider = message.Provider, errorCode, messageId = message.Id }), ct);
        }
        // The fallback decision for campaign touches is not made here: WebhookEventApplier hands the same failure to
        // every IMessageOutcomeListener, and the touch orchestrator is one.
    }

    /// <summary>
    /// An email event we cannot match to a send still suppresses its address, in the workspace of the delivery
    /// being applied: the pipeline tracks that delivery on this same context (the seam passes no workspace).
    /// </summary>
    Guid WorkspaceOfDelivery() =>
        db.ChangeTracker.Entries<WebhookDelivery>().Select(d => d.Entity.WorkspaceId).FirstOrDefault(id => id != Guid.Empty) is var id && id != Guid.Empty
            ? id : throw new InvalidOperationException("No webhook delivery is being applied on this context.");

    static object Evidence(InboundMessage message, KeywordMatch match) => new
    {
        inboundMessageId = message.Id, message.Body, keyword = match.Keyword, from = message.FromAddress,
        channel = WireName.Of(message.Channel), receivedAt = message.ReceivedAt, providerMessageId = message.ProviderMessageId,
    };
}
