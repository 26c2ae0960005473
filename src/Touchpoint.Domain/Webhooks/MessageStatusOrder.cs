using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Whether a reported status may replace the stored one. Providers deliver callbacks out of order and retry
/// them, so status only moves forward: queued &lt; sending &lt; sent &lt; delivered &lt; read. A late
/// <c>sent</c> never overwrites <c>delivered</c>; failed/undelivered/denied/dry_run are terminal; a failure
/// cannot follow delivered/read (the recipient already has the message).
/// </summary>
public static class MessageStatusOrder
{
    public static bool CanAdvance(MessageStatus current, MessageStatus next) => current switch
    {
        // Scheduled is before the outbox: it is either denied when re-evaluated or enters the pipeline.
        MessageStatus.Scheduled => next is not (MessageStatus.Scheduled or MessageStatus.Uncertain),
        MessageStatus.Denied or MessageStatus.DryRun or MessageStatus.Failed or MessageStatus.Undelivered => false,
        // Uncertain = we crashed not knowing whether the provider accepted it; only the provider's word resolves it.
        MessageStatus.Uncertain => next is MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Read
            or MessageStatus.Failed or MessageStatus.Undelivered,
        _ => next switch
        {
            MessageStatus.Failed or MessageStatus.Undelivered => Rank(current) < Rank(MessageStatus.Delivered),
            MessageStatus.Uncertain => current is MessageStatus.Queued or MessageStatus.Sending,
            MessageStatus.Queued or MessageStatus.Sending or MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Read
                => Rank(next) > Rank(current),
            _ => false,
        },
    };

    /// <summary>
    /// The stored statuses a write of <paramref name="next"/> may replace: the <c>WHERE status IN (…)</c> of a conditional
    /// update, so the rule is decided on the row as stored, not as read (webhook applier and dispatcher alike).
    /// </summary>
    public static IReadOnlyList<MessageStatus> StatusesThatMayAdvanceTo(MessageStatus next) =>
        [.. Enum.GetValues<MessageStatus>().Where(s => s != next && CanAdvance(s, next))];

    static int Rank(MessageStatus status) => status switch
    {
        MessageStatus.Queued => 0,
        MessageStatus.Sending => 1,
        MessageStatus.Sent => 2,
        MessageStatus.Delivered => 3,
        MessageStatus.Read => 4,
        _ => -1,
    };
}
