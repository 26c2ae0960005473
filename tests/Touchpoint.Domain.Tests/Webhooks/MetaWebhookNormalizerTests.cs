using System.Text;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

public sealed class MetaWebhookNormalizerTests
{
    static WebhookNormalization Normalize(string json) => MetaWebhookNormalizer.Normalize(Encoding.UTF8.GetBytes(json));

    static string WhatsApp(string valueTail) =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}{{{valueTail}}}}}]}]}""";

    [Fact]
    public void A_whatsapp_text_message_becomes_an_inbound_message()
    {
        var json = WhatsApp(""","contacts":[{"profile":{"name":"Sheena"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgL","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]""");
        var m = Assert.IsType<InboundMessageReceived>(Assert.Single(Assert.IsType<Normalized>(Normalize(json)).Events));
        Assert.Equal((Channel.Whatsapp, "+16505551234", "+15550783881", "Does it come in another color?", "wamid.HBgL", "wamid.HBgL"),
            (m.Channel, m.From, m.To, m.Body, m.ProviderMessageId, m.DedupeKey));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1749416383), m.OccurredAt);
    }

    [Fact]
    public void A_button_reply_counts_as_a_reply_with_its_label()
    {
        var json = WhatsApp(""","messages":[{"from":"1","id":"wamid.B","timestamp":"1","type":"button","button":{"text":"Stop promotions","payload":"x"}}]""");
        Assert.Equal("Stop promotions", Assert.IsType<InboundMessageReceived>(Assert.Single(Assert.IsType<Normalized>(Normalize(json)).Events)).Body);
    }

    [Theory]
    [InlineData("sent", MessageStatus.Sent)]
    [InlineData("delivered", MessageStatus.Delivered)]
    [InlineData("read", MessageStatus.Read)]
    public void Whatsapp_statuses_dedupe_on_message_id_and_status(string wire, MessageStatus status)
    {
        var json = WhatsApp($$""","statuses":[{"id":"wamid.S","status":"{{wire}}","timestamp":"1750263773","recipient_id":"16505551234"}]""");
        var s = Assert.IsType<DeliveryStatusReported>(Assert.Single(Assert.IsType<Normalized>(Normalize(json)).Events));
        Assert.Equal(("wamid.S:" + wire, "wamid.S", status, (string?)null), (s.DedupeKey, s.ProviderMessageId, s.Status, s.ErrorCode));
    }

    [Fact]
    public void A_status_echoing_our_biz_opaque_callback_data_names_our_message_and_foreign_data_is_ignored()
    {
        var ours = Guid.CreateVersion7();
        var json = WhatsApp($$""","statuses":[{"id":"wamid.O","status":"delivered","timestamp":"1","recipient_id":"1","biz_opaque_callback_data":"{{ours}}"},{"id":"wamid.X","status":"read","timestamp":"1","recipient_id":"1","biz_opaque_callback_data":"campaign-7"},{"id":"wamid.N","status":"sent","timestamp":"1","recipient_id":"1"}]""");
        var events = Assert.IsType<Normalized>(Normalize(json)).Events.Cast<DeliveryStatusReported>().ToList();
        Assert.Equal([ours.ToString(), null, null], events.Select(e => e.TouchpointMessageId));
        Assert.Equal(["wamid.O", "wamid.X", "wamid.N"], events.Select(e => e.ProviderMessageId));
    }

    [Fact]
    public void A_failed_whatsapp_status_carries_the_first_error_code()
    {
        var json = WhatsApp(""","statuses":[{"id":"wamid.F","status":"failed","timestamp":"1","recipient_id":"1","errors":[{"code":131047,"title":"Re-engagement message"}]}]""");
        var s = Assert.IsType<DeliveryStatusReported>(Assert.Single(Assert.IsType<Normalized>(Normalize(json)).Events));
        Assert.Equal((MessageStatus.Failed, "131047"), (s.Status, s.ErrorCode));
    }

    [Fact]
    public void Messages_and_statuses_across_entries_all_come_out_and_unknown_ones_are_skipped()
    {
        var one = WhatsApp(""","messages":[{"from":"1","id":"m1","timestamp":"1","type":"text","text":{"body":"a"}},{"from":"1","id":"m2","type":"location"}],"statuses":[{"id":"s1","status":"deleted"},{"id":"s2","status":"sent"}]""");
        var result = Assert.IsType<Normalized>(Normalize(one));
        Assert.Equal(["m1", "s2:sent"], result.Events.Select(e => e.DedupeKey));
        Assert.Equal(2, result.Skipped.Count);
    }

    [Theory]
    [InlineData("instagram", Channel.Instagram)]
    [InlineData("page", Channel.Messenger)]
    public void Instagram_and_messenger_text_messages_become_inbound_messages(string obj, Channel channel)
    {
        var json = $$$"""{"object":"{{{obj}}}","entry":[{"id":"p1","time":1569262486134,"messaging":[{"sender":{"id":"PSID-1"},"recipient":{"id":"PAGE-1"},"timestamp":1569262485349,"message":{"mid":"m_abc","text":"hello"}},{"sender":{"id":"PAGE-1"},"recipient":{"id":"PSID-1"},"timestamp":1,"message":{"mid":"m_echo","is_echo":true,"text":"ours"}}]}]}""";
        var result = Assert.IsType<Normalized>(Normalize(json));
        var m = Assert.IsType<InboundMessageReceived>(Assert.Single(result.Events));
        Assert.Equal((channel, "PSID-1", "PAGE-1", "hello", "m_abc"), (m.Channel, m.From, m.To, m.Body, m.DedupeKey));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1569262485000), m.OccurredAt);
        Assert.Equal(["messaging_echo"], result.Skipped);
    }

    [Theory]
    [InlineData("{", "meta_malformed_json")]
    [InlineData("{\"object\":\"user\",\"entry\":[]}", "meta_unknown_object")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"account_update\",\"value\":{}}]}]}", "meta_no_messages_or_statuses")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"status\":\"sent\"}]}}]}]}", "meta_no_usable_event: whatsapp_status_missing_id_or_unknown")]
    public void Unusable_payloads_are_unparsed_with_a_reason(string json, string reason) =>
        Assert.Equal(new Unparsed(reason), Normalize(json));
}
