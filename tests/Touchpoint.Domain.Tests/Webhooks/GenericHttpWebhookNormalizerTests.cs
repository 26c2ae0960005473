using System.Text;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

public sealed class GenericHttpWebhookNormalizerTests
{
    static WebhookNormalization Normalize(string json) => GenericHttpWebhookNormalizer.Normalize(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void An_inbound_message_uses_touchpoint_channel_names()
    {
        var json = """{"type":"message.inbound","data":{"channel":"imessage","messageId":"gw-1","from":"+14155550123","to":"+14155550100","body":"yes please","mediaUrls":["https://gw/x.jpg"],"occurredAt":"2025-03-09T14:00:00Z"}}""";
        var m = Assert.IsType<InboundMessageReceived>(Assert.Single(Assert.IsType<Normalized>(Normalize(json)).Events));
        Assert.Equal((Channel.Imessage, "+14155550123", "+14155550100", "yes please", "gw-1", "gw-1"), (m.Channel, m.From, m.To, m.Body, m.ProviderMessageId, m.DedupeKey));
        Assert.Equal(["https://gw/x.jpg"], m.MediaUrls);
        Assert.Equal(new DateTimeOffset(2025, 3, 9, 14, 0, 0, TimeSpan.Zero), m.OccurredAt);
    }

    [Fact]
    public void A_status_report_dedupes_on_message_id_and_status()
    {
        var json = """{"type":"message.status","data":{"messageId":"gw-2","status":"undelivered","errorCode":"carrier_rejected","touchpointMessageId":"0195-1"}}""";
        var s = Assert.IsType<DeliveryStatusReported>(Assert.Single(Assert.IsType<Normalized>(Normalize(json)).Events));
        Assert.Equal(("gw-2:undelivered", MessageStatus.Undelivered, "carrier_rejected", "0195-1"), (s.DedupeKey, s.Status, s.ErrorCode, s.TouchpointMessageId));
        Assert.Null(s.OccurredAt);
    }

    [Theory]
    [InlineData("[]", "http_missing_data")]
    [InlineData("""{"type":"message.status","data":{"status":"sent"}}""", "http_missing_message_id")]
    [InlineData("""{"type":"message.deleted","data":{"messageId":"x"}}""", "http_unknown_type")]
    [InlineData("""{"type":"message.status","data":{"messageId":"x","status":"denied"}}""", "http_unknown_status")]
    [InlineData("""{"type":"message.inbound","data":{"messageId":"x","channel":"fax","from":"a","to":"b","body":"c"}}""", "http_unknown_channel")]
    [InlineData("""{"type":"message.inbound","data":{"messageId":"x","channel":"rvm","to":"b","body":"c"}}""", "http_inbound_missing_address")]
    [InlineData("""{"type":"message.inbound","data":{"messageId":"x","channel":"rvm","from":"a","to":"b"}}""", "http_inbound_empty")]
    public void Unusable_payloads_are_unparsed_with_a_reason(string json, string reason) =>
        Assert.Equal(new Unparsed(reason), Normalize(json));

    [Fact]
    public void What_touchpoint_signs_the_generic_verifier_accepts_and_normalizes()
    {
        var body = Encoding.UTF8.GetBytes("""{"type":"message.status","data":{"messageId":"gw-3","status":"delivered"}}""");
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var header = StandardWebhooksSignature.Sign(secret, "evt_1", 1_700_000_000, body);
        Assert.True(StandardWebhooksSignature.Verify(secret, "evt_1", "1700000000", header, body, DateTimeOffset.FromUnixTimeSeconds(1_700_000_100)).IsValid);
        Assert.IsType<Normalized>(GenericHttpWebhookNormalizer.Normalize(body));
    }
}
