using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

public sealed class TwilioWebhookNormalizerTests
{
    static WebhookNormalization Normalize(string form) => TwilioWebhookNormalizer.Normalize(UrlEncodedForm.Parse(form));

    static T Single<T>(WebhookNormalization result) where T : WebhookEvent =>
        Assert.IsType<T>(Assert.Single(Assert.IsType<Normalized>(result).Events));

    [Fact]
    public void An_inbound_sms_becomes_an_inbound_message()
    {
        var m = Single<InboundMessageReceived>(Normalize(
            "ToCountry=US&SmsMessageSid=SM1&NumMedia=0&SmsSid=SM1&SmsStatus=received&Body=STOP+please&To=%2B18005551212" +
            "&MessageSid=SM1&AccountSid=AC1&From=%2B14158675309&ApiVersion=2010-04-01"));
        Assert.Equal(new[] { "SM1", "+14158675309", "+18005551212", "STOP please", "SM1" }, new[] { m.DedupeKey, m.From, m.To, m.Body, m.ProviderMessageId });
        Assert.Equal(Channel.Sms, m.Channel);
        Assert.Empty(m.MediaUrls);
    }

    [Fact]
    public void A_whatsapp_address_sets_the_channel_and_loses_its_prefix()
    {
        var m = Single<InboundMessageReceived>(Normalize(
            "SmsStatus=received&Body=Hola&To=whatsapp%3A%2B14155238886&MessageSid=SM2&From=whatsapp%3A%2B5215512345678&NumMedia=0"));
        Assert.Equal(Channel.Whatsapp, m.Channel);
        Assert.Equal("+5215512345678", m.From);
        Assert.Equal("+14155238886", m.To);
    }

    [Fact]
    public void An_mms_keeps_its_media_urls_even_without_text()
    {
        var m = Single<InboundMessageReceived>(Normalize(
            "MessageSid=MM3&From=%2B14158675309&To=%2B18005551212&Body=&NumMedia=2" +
            "&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm0&MediaUrl1=https%3A%2F%2Fapi.twilio.com%2Fm1&SmsStatus=received"));
        Assert.Equal(["https://api.twilio.com/m0", "https://api.twilio.com/m1"], m.MediaUrls);
        Assert.Equal("", m.Body);
    }

    [Theory]
    [InlineData("queued", MessageStatus.Queued)]
    [InlineData("sending", MessageStatus.Sending)]
    [InlineData("sent", MessageStatus.Sent)]
    [InlineData("delivered", MessageStatus.Delivered)]
    [InlineData("undelivered", MessageStatus.Undelivered)]
    [InlineData("failed", MessageStatus.Failed)]
    [InlineData("read", MessageStatus.Read)]
    public void A_status_callback_maps_each_status_and_dedupes_on_sid_and_status(string wire, MessageStatus status)
    {
        var s = Single<DeliveryStatusReported>(Normalize($"SmsSid=SM9&SmsStatus={wire}&MessageStatus={wire}&To=%2B1&MessageSid=SM9&AccountSid=AC1&From=%2B2"));
        Assert.Equal(status, s.Status);
        Assert.Equal("SM9:" + wire, s.DedupeKey);
        Assert.Equal("SM9", s.ProviderMessageId);
        Assert.Null(s.ErrorCode);
    }

    [Fact]
    public void A_failed_status_carries_its_error_code() =>
        Assert.Equal("30008", Single<DeliveryStatusReported>(Normalize("MessageSid=SM9&MessageStatus=undelivered&ErrorCode=30008")).ErrorCode);

    [Fact]
    public void A_status_callback_to_our_callback_url_names_our_message_from_the_query()
    {
        var ours = Guid.CreateVersion7();
        var url = StatusCallbackUrl.For("https://hooks.example/", "twilio", Guid.CreateVersion7(), ours);
        Assert.EndsWith($"?tp_message_id={ours}", url, StringComparison.Ordinal);

        var s = Assert.IsType<DeliveryStatusReported>(Assert.Single(Assert.IsType<Normalized>(TwilioWebhookNormalizer.Normalize(
            UrlEncodedForm.Parse("MessageSid=SM9&MessageStatus=sent"), UrlEncodedForm.ParseQuery(url))).Events));
        Assert.Equal((ours.ToString(), "SM9", MessageStatus.Sent), (s.TouchpointMessageId, s.ProviderMessageId, s.Status));
        var c = Assert.IsType<CallStatusReported>(Assert.Single(Assert.IsType<Normalized>(TwilioWebhookNormalizer.Normalize(
            UrlEncodedForm.Parse("CallSid=CA7&CallStatus=ringing"), UrlEncodedForm.ParseQuery(url))).Events));
        Assert.Equal(ours.ToString(), c.TouchpointMessageId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("?foo=1")]
    [InlineData("?tp_message_id=not-a-guid")]
    public void Without_our_id_in_the_query_a_status_is_matched_on_the_sid_alone(string? query)
    {
        var form = UrlEncodedForm.Parse("MessageSid=SM9&MessageStatus=delivered");
        var s = Single<DeliveryStatusReported>(TwilioWebhookNormalizer.Normalize(form, query is null ? null : UrlEncodedForm.ParseQuery(query)));
        Assert.Null(s.TouchpointMessageId);
        Assert.Equal("SM9", s.ProviderMessageId);
    }

    [Fact]
    public void An_inbound_message_ignores_the_query() =>
        Assert.IsType<InboundMessageReceived>(Assert.Single(Assert.IsType<Normalized>(TwilioWebhookNormalizer.Normalize(
            UrlEncodedForm.Parse("MessageSid=SM1&From=%2B1&To=%2B2&Body=hi&SmsStatus=received"),
            UrlEncodedForm.ParseQuery($"?tp_message_id={Guid.CreateVersion7()}"))).Events));

    [Theory]
    [InlineData("completed", "human", MessageStatus.Delivered, false)]
    [InlineData("completed", "machine_end_beep", MessageStatus.Delivered, true)]
    [InlineData("busy", null, MessageStatus.Undelivered, false)]
    [InlineData("no-answer", null, MessageStatus.Undelivered, false)]
    [InlineData("canceled", null, MessageStatus.Undelivered, false)]
    [InlineData("failed", null, MessageStatus.Failed, false)]
    public void A_voice_status_callback_maps_the_call_outcome(string callStatus, string? answeredBy, MessageStatus status, bool machine)
    {
        var form = $"CallSid=CA7&AccountSid=AC1&CallStatus={callStatus}&CallDuration=42&Direction=outbound-api"
            + (answeredBy is null ? "" : "&AnsweredBy=" + answeredBy);
        var c = Single<CallStatusReported>(Normalize(form));
        Assert.Equal(("CA7:" + callStatus, "CA7", callStatus, status, machine, 42), (c.DedupeKey, c.CallSid, c.CallStatus, c.Status, c.AnsweredByMachine, c.DurationSeconds!.Value));
        Assert.Equal(answeredBy, c.AnsweredBy);
    }

    [Theory]
    [InlineData("", "twilio_missing_sid")]
    [InlineData("From=%2B1&To=%2B2&Body=hi", "twilio_missing_sid")]
    [InlineData("MessageSid=SM1&Body=hi", "twilio_inbound_missing_address")]
    [InlineData("MessageSid=SM1&From=%2B1&To=%2B2&SmsStatus=received", "twilio_inbound_empty")]
    [InlineData("MessageSid=SM1&MessageStatus=teleported", "twilio_unknown_message_status")]
    [InlineData("CallSid=CA1&CallStatus=levitating", "twilio_unknown_call_status")]
    public void Unusable_forms_are_unparsed_with_a_reason(string form, string reason) =>
        Assert.Equal(new Unparsed(reason), Normalize(form));
}
