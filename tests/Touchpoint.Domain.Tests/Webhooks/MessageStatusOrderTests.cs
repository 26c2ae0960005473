using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

public sealed class MessageStatusOrderTests
{
    // Rows: current; columns: next, both in this order. 'x' = may advance. Written out by hand, not derived.
    static readonly MessageStatus[] Order =
    [
        MessageStatus.Scheduled, MessageStatus.Denied, MessageStatus.DryRun, MessageStatus.Queued, MessageStatus.Sending,
        MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Read, MessageStatus.Failed, MessageStatus.Undelivered,
        MessageStatus.Uncertain,
    ];

    static readonly string[] Matrix =
    [
        // sch den dry que snd snt dlv red fld und unc
        "   .   x   x   x   x   x   x   x   x   x   .", // scheduled
        "   .   .   .   .   .   .   .   .   .   .   .", // denied
        "   .   .   .   .   .   .   .   .   .   .   .", // dry_run
        "   .   .   .   .   x   x   x   x   x   x   x", // queued
        "   .   .   .   .   .   x   x   x   x   x   x", // sending
        "   .   .   .   .   .   .   x   x   x   x   .", // sent
        "   .   .   .   .   .   .   .   x   .   .   .", // delivered
        "   .   .   .   .   .   .   .   .   .   .   .", // read
        "   .   .   .   .   .   .   .   .   .   .   .", // failed
        "   .   .   .   .   .   .   .   .   .   .   .", // undelivered
        "   .   .   .   .   .   x   x   x   x   x   .", // uncertain
    ];

    public static TheoryData<MessageStatus, MessageStatus, bool> EveryPair()
    {
        var data = new TheoryData<MessageStatus, MessageStatus, bool>();
        for (var row = 0; row < Order.Length; row++)
        {
            var cells = Matrix[row].Replace(" ", "", StringComparison.Ordinal);
            for (var col = 0; col < Order.Length; col++) data.Add(Order[row], Order[col], cells[col] == 'x');
        }
        return data;
    }

    [Theory, MemberData(nameof(EveryPair))]
    public void Every_pair_of_statuses_follows_the_table(MessageStatus current, MessageStatus next, bool expected) =>
        Assert.Equal(expected, MessageStatusOrder.CanAdvance(current, next));

    [Fact]
    public void A_conditional_write_replaces_only_the_statuses_that_come_before_it()
    {
        Assert.Equal([MessageStatus.Scheduled, MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Uncertain],
            MessageStatusOrder.StatusesThatMayAdvanceTo(MessageStatus.Sent).Order());
        Assert.Equal([MessageStatus.Scheduled, MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Sent, MessageStatus.Uncertain],
            MessageStatusOrder.StatusesThatMayAdvanceTo(MessageStatus.Delivered).Order());
        Assert.Equal([MessageStatus.Queued, MessageStatus.Sending], MessageStatusOrder.StatusesThatMayAdvanceTo(MessageStatus.Uncertain).Order());
        Assert.Empty(MessageStatusOrder.StatusesThatMayAdvanceTo(MessageStatus.Scheduled));
    }

    [Fact]
    public void The_table_covers_every_status() => Assert.Equal(Enum.GetValues<MessageStatus>().Order(), Order.Order());

    [Fact]
    public void A_late_sent_never_overwrites_delivered_or_a_failure()
    {
        Assert.False(MessageStatusOrder.CanAdvance(MessageStatus.Delivered, MessageStatus.Sent));
        Assert.False(MessageStatusOrder.CanAdvance(MessageStatus.Failed, MessageStatus.Sent));
        Assert.False(MessageStatusOrder.CanAdvance(MessageStatus.Undelivered, MessageStatus.Sent));
    }
}
