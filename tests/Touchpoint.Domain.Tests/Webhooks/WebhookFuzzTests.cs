using System.Text;
using FsCheck.Xunit;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

/// <summary>Garbage in must never throw: normalizers answer <see cref="Unparsed"/>, verifiers answer invalid.</summary>
public sealed class WebhookFuzzTests
{
    static readonly Func<byte[], WebhookNormalization>[] JsonNormalizers =
    [
        b => SendGridEventNormalizer.Normalize(b),
        b => MetaWebhookNormalizer.Normalize(b),
        b => GenericHttpWebhookNormalizer.Normalize(b),
        b => TwilioWebhookNormalizer.Normalize(UrlEncodedForm.Parse(Encoding.UTF8.GetString(b))),
    ];

    static readonly string[] ValidPayloads =
    [
        """[{"email":"a@b.c","timestamp":1513299569,"event":"bounce","type":"bounce","sg_event_id":"e1","sg_message_id":"x.y","reason":"550","touchpoint_message_id":"m1"}]""",
        """{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"metadata":{"display_phone_number":"1"},"messages":[{"from":"1","id":"w1","timestamp":"1","type":"text","text":{"body":"hi"}}],"statuses":[{"id":"w2","status":"failed","errors":[{"code":1}]}]}}]}]}""",
        """{"object":"page","entry":[{"messaging":[{"sender":{"id":"a"},"recipient":{"id":"b"},"timestamp":1,"message":{"mid":"m","text":"t","attachments":[{"payload":{"url":"u"}}]}}]}]}""",
        """{"type":"message.inbound","data":{"channel":"rvm","messageId":"g","from":"a","to":"b","body":"c","mediaUrls":["u"],"occurredAt":"2025-01-01T00:00:00Z"}}""",
        "MessageSid=SM1&From=whatsapp%3A%2B1&To=%2B2&Body=hi&NumMedia=2&MediaUrl0=u&SmsStatus=received",
        "CallSid=CA1&CallStatus=completed&AnsweredBy=machine_start&CallDuration=12",
    ];

    [Fact]
    public void Random_bytes_are_unparsed_by_every_normalizer()
    {
        var random = new Random(20250309);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 512)];
            random.NextBytes(bytes);
            foreach (var normalize in JsonNormalizers) Assert.IsType<Unparsed>(normalize(bytes));
        }
    }

    [Fact]
    public void Mutated_valid_payloads_never_throw()
    {
        var random = new Random(8058);
        foreach (var payload in ValidPayloads)
        {
            var original = Encoding.UTF8.GetBytes(payload);
            for (var i = 0; i < 1500; i++)
            {
                var bytes = original[..random.Next(0, original.Length + 1)];
                for (var flips = random.Next(0, 4); flips > 0 && bytes.Length > 0; flips--)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                foreach (var normalize in JsonNormalizers)
                    Assert.True(normalize(bytes) is Normalized { Events.Count: > 0 } or Unparsed);
            }
        }
    }

    [Fact]
    public void Every_valid_fuzz_seed_actually_normalizes()
    {
        // Guards the test above: if a seed payload were itself unparsed, the mutations would prove little.
        Assert.All(ValidPayloads, p => Assert.Contains(JsonNormalizers, n => n(Encoding.UTF8.GetBytes(p)) is Normalized));
    }

    [Theory]
    [InlineData("""[{"email":"a@b.c","event":"open","sg_event_id":"e","timestamp":99999999999999999999999999}]""")]
    [InlineData("""[{"email":"a@b.c","event":"open","sg_event_id":"e","timestamp":-5e300}]""")]
    [InlineData("""{"object":"page","entry":[{"messaging":[{"sender":{"id":"a"},"recipient":{"id":"b"},"timestamp":-9223372036854775808,"message":{"mid":"m","text":"t"}}]}]}""")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"metadata":{"display_phone_number":"1"},"messages":[{"from":"1","id":"w","timestamp":"9223372036854775807","type":"text","text":{"body":"x"}}]}}]}]}""")]
    [InlineData("""{"type":"message.inbound","data":{"channel":"sms","messageId":"g","from":"a","to":"b","body":"c","occurredAt":"9999-99-99"}}""")]
    public void Out_of_range_timestamps_are_dropped_not_thrown(string json)
    {
        var result = JsonNormalizers.Select(n => n(Encoding.UTF8.GetBytes(json))).OfType<Normalized>().Single();
        var occurredAt = Assert.Single(result.Events) switch
        {
            InboundMessageReceived m => m.OccurredAt,
            EmailEventReported e => e.OccurredAt,
            var other => throw new InvalidOperationException(other.ToString()),
        };
        Assert.Null(occurredAt);
    }

    [Fact]
    public void Deep_nesting_and_huge_values_are_handled()
    {
        var deep = Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000));
        var wide = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("""{"email":"a@b.c","event":"open","sg_event_id":"e"}""", 20_000)) + "]");
        var longText = Encoding.UTF8.GetBytes("""{"type":"message.inbound","data":{"channel":"sms","messageId":"g","from":"a","to":"b","body":" """.TrimEnd() + new string('x', 1 << 20) + "\"}}");
        foreach (var normalize in JsonNormalizers) Assert.IsType<Unparsed>(normalize(deep));
        Assert.Equal(20_000, Assert.IsType<Normalized>(SendGridEventNormalizer.Normalize(wide)).Events.Count);
        Assert.Equal(1 << 20, Assert.IsType<InboundMessageReceived>(Assert.IsType<Normalized>(GenericHttpWebhookNormalizer.Normalize(longText)).Events[0]).Body.Length);
        Assert.IsType<Unparsed>(TwilioWebhookNormalizer.Normalize(UrlEncodedForm.Parse("NumMedia=2147483647&MessageSid=S&From=a&To=b")));
    }

    [Property(MaxTest = 500)]
    public bool Arbitrary_bytes_never_make_a_json_normalizer_throw(byte[] bytes) =>
        JsonNormalizers.All(n => n(bytes ?? []) is Normalized or Unparsed);

    [Property(MaxTest = 500)]
    public bool Arbitrary_forms_never_make_the_twilio_normalizer_throw(string form) =>
        TwilioWebhookNormalizer.Normalize(UrlEncodedForm.Parse(form)) is Normalized or Unparsed;

    [Property(MaxTest = 300)]
    public bool Arbitrary_headers_never_verify(string signature, string timestamp, byte[] body)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1614265330);
        body ??= [];
        return !TwilioSignature.Verify("12345", "https://x/y", [], signature).IsValid
            && !TwilioSignature.VerifyJsonBody("12345", "https://x/y?bodySHA256=" + timestamp, body, signature).IsValid
            && !SendGridSignature.Verify("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==", signature, timestamp, body, now).IsValid
            && !MetaSignature.Verify("secret", body, signature).IsValid
            && !StandardWebhooksSignature.Verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg", timestamp, signature, body, now).IsValid;
    }
}
