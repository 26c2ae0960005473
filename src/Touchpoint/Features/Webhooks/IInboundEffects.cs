using System.Text.Json;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Keywords;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Features.Webhooks;

/// <summary>
/// The one seam between the webhook pipeline and what inbound facts MEAN for a contact: consent changes on
/// STOP/START, suppressions on bounces and complaints, stopping enrollments, confirmations. The pipeline calls
/// it inside its transaction, after adding its own rows to the same <see cref="TouchpointDb"/>; an
/// implementation adds rows to that context (it may save; the pipeline commits or rolls back everything).
/// </summary>
public interface IInboundEffects
{
    /// <summary>A reply arrived; <paramref name="match"/> is its keyword classification.</summary>
    Task ApplyAsync(InboundMessage message, KeywordMatch match, CancellationToken ct);

    /// <summary>An email event (bounce, spam report, unsubscribe, …); <paramref name="message"/> when we found our send.</summary>
    Task ApplyAsync(EmailEventReported e, OutboundMessage? message, CancellationToken ct);

    /// <summary>One of our messages moved to <c>failed</c> or <c>undelivered</c> (fallback candidates).</summary>
    Task DeliveryFailedAsync(OutboundMessage message, string? errorCode, CancellationToken ct);

    /// <summary>
    /// An ingest batch is about to apply replies from these known contacts (inside its transaction, before the first):
    /// load what the replies will need for all of them at once. Whatever is kept must stay true while the batch applies.
    /// </summary>
    Task PrepareBatchAsync(IReadOnlyCollection<InboundSender> senders, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>A contact an ingest batch holds a reply from, on the channel it came in.</summary>
public sealed record InboundSender(Guid WorkspaceId, Guid ContactId, Channel Channel);

/// <summary>
/// Someone else who wants to know about a reply after its effects were applied — the CRM inbox files it into a
/// conversation. Called inside the delivery's transaction: add rows (e.g. a job to answer later), don't call out.
/// </summary>
public interface IInboundMessageListener
{
    Task OnInboundAsync(InboundMessage message, KeywordMatch match, CancellationToken ct);

    /// <summary>As <see cref="IInboundEffects.PrepareBatchAsync"/>: an ingest batch's known senders, before its first reply.</summary>
    Task PrepareBatchAsync(IReadOnlyCollection<InboundSender> senders, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// Wants to know what happened to one of our messages after it went out: <c>delivered</c>, <c>read</c>, <c>opened</c>,
/// <c>clicked</c>, <c>bounced</c> (the stopOnEvents vocabulary). Called inside the delivery's transaction, once per
/// new provider event; add rows, don't call out. The campaign engine ends sequences whose step stops on the event.
/// </summary>
public interface IMessageEventListener
{
    Task OnMessageEventAsync(OutboundMessage message, string eventName, CancellationToken ct);
}

/// <summary>
/// Default effects until the consent/suppression services plug in: only a timeline entry per fact, so the
/// contact's history shows what came in. Changes no consent, suppression or enrollment.
/// </summary>
public sealed class TimelineInboundEffects(TouchpointDb db, TimeProvider clock) : IInboundEffects
{
    public Task ApplyAsync(InboundMessage message, KeywordMatch match, CancellationToken ct)
    {
        if (message.ContactId is not { } contactId) return Task.CompletedTask;
        Add(message.WorkspaceId, contactId, "MESSAGE_RECEIVED", message.Channel,
            new { inboundMessageId = message.Id, keywordClass = WireName.Of(match.Class), match.Keyword });
        var requested = match.Class switch
        {
            KeywordClass.OptOut => "OPT_OUT_REQUESTED",
            KeywordClass.OptIn => "OPT_IN_REQUESTED",
            KeywordClass.Help => "HELP_REQUESTED",
            KeywordClass.OptOutLike => "OPT_OUT_LIKE_FLAGGED",
            _ => null,
        };
        if (requested is not null)
            Add(message.WorkspaceId, contactId, requested, message.Channel, new { inboundMessageId = message.Id, match.Keyword });
        return Task.CompletedTask;
    }

    public Task ApplyAsync(EmailEventReported e, OutboundMessage? message, CancellationToken ct)
    {
        var type = e.Suppression switch
        {
            SuppressionReason.Bounced => "EMAIL_BOUNCED",
            SuppressionReason.Complaint => "EMAIL_COMPLAINT",
            SuppressionReason.OptedOut => "EMAIL_UNSUBSCRIBED",
            _ => null,
        };
        if (type is not null && message is not null)
            Add(message.WorkspaceId, message.ContactId, type, Channel.Email, new { messageId = message.Id, e.Email, e.Reason });
        return Task.CompletedTask;
    }

    public Task DeliveryFailedAsync(OutboundMessage message, string? errorCode, CancellationToken ct)
    {
        Add(message.WorkspaceId, message.ContactId, "MESSAGE_FAILED", message.Channel,
            new { messageId = message.Id, status = WireName.Of(message.Status), errorCode });
        return Task.CompletedTask;
    }

    void Add(Guid workspaceId, Guid contactId, string type, Channel channel, object payload) =>
        db.MemoryEvents.Add(new MemoryEvent
        {
            WorkspaceId = workspaceId, ContactId = contactId, EventType = type, Source = "webhook", Channel = channel,
            Direction = Direction.Inbound, PayloadJson = JsonSerializer.Serialize(payload), CreatedAt = clock.GetUtcNow().ToUniversalTime(),
        });
}
