using Touchpoint.Data.Entities;
using Touchpoint.Domain.Policy;
using Touchpoint.Features.Messaging;

namespace Touchpoint.Features.Inbound;

/// <summary>
/// Answers STOP, START and HELP with an ordinary outbound message (ARCHITECTURE §10: visible in messages and the
/// sandbox outbox), through the full pipeline. The idempotency key is derived from the inbound message, so a
/// keyword is answered at most once whatever replays or reprocessing happen.
/// </summary>
public sealed class KeywordReplies(MessageSubmission submission)
{
    public const string DefaultOptOutConfirmation =
        "You are unsubscribed and will receive no more messages from us. Reply START to resubscribe.";
    public const string DefaultOptInConfirmation = "You are subscribed again. Reply STOP to unsubscribe, HELP for help.";
    public const string DefaultHelpText = "Reply STOP to unsubscribe or START to resubscribe. Msg & data rates may apply.";

    public static string KeyFor(InboundMessage message) => $"keyword-reply:{message.Id}";

    /// <summary>The one message allowed after an opt-out (policy purpose <c>opt_out_confirmation</c>).</summary>
    public Task<SubmitOutcome> ConfirmOptOutAsync(InboundMessage message, Workspace workspace, CancellationToken ct) =>
        ReplyAsync(message, MessagePurpose.OptOutConfirmation, NonEmpty(workspace.OptOutConfirmation) ?? DefaultOptOutConfirmation, ct);

    public Task<SubmitOutcome> ConfirmOptInAsync(InboundMessage message, CancellationToken ct) =>
        ReplyAsync(message, MessagePurpose.TransactionalReply, DefaultOptInConfirmation, ct);

    public Task<SubmitOutcome> HelpAsync(InboundMessage message, Workspace workspace, CancellationToken ct) =>
        ReplyAsync(message, MessagePurpose.TransactionalReply, NonEmpty(workspace.HelpText) ?? DefaultHelpText, ct);

    // A workspace text that does not render is recorded as a failed message, so the operator sees it. The answer goes
    // to the address that wrote (a contact with two numbers who texts STOP from the second hears back on the second).
    Task<SubmitOutcome> ReplyAsync(InboundMessage message, MessagePurpose purpose, string body, CancellationToken ct) =>
        submission.SubmitAsync(new SendCommand(message.WorkspaceId, message.ContactId!.Value, message.Channel, purpose,
            KeyFor(message), Body: body, ToAddress: message.FromAddress), recordRenderFailure: true, ct);

    static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
