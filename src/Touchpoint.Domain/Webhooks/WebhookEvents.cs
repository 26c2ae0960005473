using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// One provider-neutral fact taken from a verified webhook. <see cref="DedupeKey"/> is stable across the
/// provider's retries, so the receiver can drop a fact it has already applied (ARCHITECTURE §6).
/// </summary>
public abstract record WebhookEvent(string DedupeKey);

/// <summary>Someone wrote to us. Addresses are as the channel spells them, minus Twilio's <c>whatsapp:</c> prefix.</summary>
public sealed record InboundMessageReceived(
    string DedupeKey, Channel Channel, string From, string To, string Body, string ProviderMessageId,
    IReadOnlyList<string> MediaUrls, DateTimeOffset? OccurredAt) : WebhookEvent(DedupeKey);

/// <summary>A provider reported where one of our outbound messages is. Apply it only if <see cref="MessageStatusOrder.CanAdvance"/>.</summary>
/// <param name="TouchpointMessageId">Our message id when the provider echoes it back (SendGrid custom args, the generic
/// provider, Twilio's callback URL query, Meta's <c>biz_opaque_callback_data</c>): matched before the provider id.</param>
public sealed record DeliveryStatusReported(
    string DedupeKey, string ProviderMessageId, MessageStatus Status, string? ErrorCode,
    string? TouchpointMessageId, DateTimeOffset? OccurredAt) : WebhookEvent(DedupeKey);

/// <summary>
/// Twilio voice status callback. <see cref="Status"/> maps the call onto the message lifecycle (completed →
/// delivered; busy/no-answer/canceled → undelivered; failed → failed); <see cref="CallStatus"/> keeps Twilio's word.
/// </summary>
/// <param name="AnsweredByMachine">Answering-machine detection said machine/fax: a voicemail drop, not a conversation.</param>
/// <param name="TouchpointMessageId">Our message id from the callback URL's query, when the call was placed by the dispatcher.</param>
public sealed record CallStatusReported(
    string DedupeKey, string CallSid, string CallStatus, MessageStatus Status, string? AnsweredBy,
    bool AnsweredByMachine, int? DurationSeconds, string? ErrorCode, string? TouchpointMessageId = null) : WebhookEvent(DedupeKey);

/// <summary>What an email event says happened (SendGrid event names).</summary>
public enum EmailEventKind
{
    Processed, Delivered, Deferred, Dropped, Bounced, Blocked, Opened, Clicked, SpamReported, Unsubscribed, GroupUnsubscribed,
}

/// <summary>
/// One SendGrid event. <see cref="Status"/> is the message-lifecycle consequence, if any (deferred, spam reports
/// and unsubscribes change no status). <see cref="Suppression"/> is what the address now deserves: a hard bounce
/// → <c>bounced</c>, a spam report → <c>complaint</c>, an unsubscribe → <c>opted_out</c>, else <c>none</c>.
/// </summary>
/// <param name="ProviderMessageId">The part of <c>sg_message_id</c> before the first '.', which equals the
/// <c>X-Message-Id</c> SendGrid returned when we sent.</param>
public sealed record EmailEventReported(
    string DedupeKey, EmailEventKind Kind, string? ProviderMessageId, string Email, DateTimeOffset? OccurredAt,
    MessageStatus? Status, SuppressionReason Suppression, string? Reason, string? Url, string? TouchpointMessageId,
    IReadOnlyDictionary<string, string> CustomArgs) : WebhookEvent(DedupeKey);

/// <summary>Result of normalizing a verified payload. Normalizers never throw; garbage becomes <see cref="Unparsed"/>.</summary>
public abstract record WebhookNormalization;

/// <param name="Skipped">Why individual items of an otherwise understood payload were ignored (for the archive).</param>
public sealed record Normalized(IReadOnlyList<WebhookEvent> Events, IReadOnlyList<string> Skipped) : WebhookNormalization;

/// <summary>Nothing usable: archive the delivery as <c>unparsed</c>, answer 2xx (ARCHITECTURE §6).</summary>
public sealed record Unparsed(string Reason) : WebhookNormalization;
