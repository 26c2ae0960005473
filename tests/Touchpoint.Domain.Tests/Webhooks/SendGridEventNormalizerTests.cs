using System.Text;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

public sealed class SendGridEventNormalizerTests
{
    static WebhookNormalization Normalize(string json) => SendGridEventNormalizer.Normalize(Encoding.UTF8.GetBytes(json));

    static string Event(string name, string extra = "") =>
        $$"""{"email":"ana@example.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"{{name}}","category":"cat facts","sg_event_id":"ev-{{name}}","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","touchpoint_message_id":"0195f0c2-7d1e-7000-8000-000000000001"{{extra}}}""";

    static EmailEventReported Only(string json) =>
        Assert.IsType<EmailEventReported>(Assert.Single(Assert.IsType<Normalized>(Normalize(json)).Events));

    [Theory]
    [InlineData("processed", "", EmailEventKind.Processed, MessageStatus.Sent, SuppressionReason.None)]
    [InlineData("delivered", ",\"response\":\"250 OK\"", EmailEventKind.Delivered, MessageStatus.Delivered, SuppressionReason.None)]
    [InlineData("open", ",\"useragent\":\"Mozilla\",\"ip\":\"255.255.255.255\"", EmailEventKind.Opened, MessageStatus.Read, SuppressionReason.None)]
    [InlineData("click", ",\"url\":\"https://example.com/x\"", EmailEventKind.Clicked, MessageStatus.Read, SuppressionReason.None)]
    [InlineData("bounce", ",\"type\":\"bounce\",\"reason\":\"550 5.1.1 no such user\",\"status\":\"5.1.1\"", EmailEventKind.Bounced, MessageStatus.Undelivered, SuppressionReason.Bounced)]
    [InlineData("bounce", ",\"type\":\"blocked\",\"reason\":\"421 try later\"", EmailEventKind.Blocked, MessageStatus.Undelivered, SuppressionReason.None)]
    [InlineData("dropped", ",\"reason\":\"Bounced Address\"", EmailEventKind.Dropped, MessageStatus.Failed, SuppressionReason.Bounced)]
    [InlineData("dropped", ",\"reason\":\"Invalid SMTPAPI header\"", EmailEventKind.Dropped, MessageStatus.Failed, SuppressionReason.None)]
    [InlineData("spamreport", "", EmailEventKind.SpamReported, null, SuppressionReason.Complaint)]
    [InlineData("unsubscribe", "", EmailEventKind.Unsubscribed, null, SuppressionReason.OptedOut)]
    [InlineData("group_unsubscribe", ",\"asm_group_id\":10", EmailEventKind.GroupUnsubscribed, null, SuppressionReason.OptedOut)]
    public void Each_event_maps_to_its_kind_status_and_suppression(string name, string extra, EmailEventKind kind, MessageStatus? status, SuppressionReason suppression)
    {
        var e = Only($"[{Event(name, extra)}]");
        Assert.Equal((kind, status, suppression), (e.Kind, e.Status, e.Suppression));
        Assert.Equal("ev-" + name, e.DedupeKey);
        Assert.Equal("14c5d75ce93", e.ProviderMessageId);
        Assert.Equal("ana@example.com", e.Email);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1513299569), e.OccurredAt);
    }

    [Fact]
    public void A_deferral_changes_no_status() => Assert.Null(Only($"[{Event("deferred", ",\"attempt\":\"5\"")}]").Status);

    [Fact]
    public void Custom_args_are_kept_and_our_message_id_is_lifted_out()
    {
        var e = Only($"[{Event("delivered", ",\"workspace\":\"w1\",\"step\":2")}]");
        Assert.Equal("0195f0c2-7d1e-7000-8000-000000000001", e.TouchpointMessageId);
        Assert.Equal("w1", e.CustomArgs["workspace"]);
        Assert.Equal("2", e.CustomArgs["step"]);
        Assert.False(e.CustomArgs.ContainsKey("smtp-id"));
        Assert.False(e.CustomArgs.ContainsKey("category"));
    }

    [Fact]
    public void The_click_url_and_bounce_reason_are_kept()
    {
        Assert.Equal("https://example.com/x", Only($"[{Event("click", ",\"url\":\"https://example.com/x\"")}]").Url);
        Assert.Equal("550 no such user", Only($"[{Event("bounce", ",\"type\":\"bounce\",\"reason\":\"550 no such user\"")}]").Reason);
    }

    [Fact]
    public void A_batch_keeps_the_good_events_and_says_why_it_skipped_the_others()
    {
        var result = Assert.IsType<Normalized>(Normalize($"[{Event("delivered")}, 42, {{\"event\":\"open\",\"email\":\"a@b.c\"}}, {Event("teleported")}]"));
        Assert.Single(result.Events);
        Assert.Equal(["[1] not_an_object", "[2] missing_sg_event_id", "[3] unknown_event"], result.Skipped);
    }

    [Theory]
    [InlineData("", "sendgrid_malformed_json")]
    [InlineData("{\"event\":\"open\"}", "sendgrid_not_an_array")]
    [InlineData("[]", "sendgrid_empty")]
    [InlineData("[{\"sg_event_id\":\"e\",\"event\":\"open\"}]", "sendgrid_no_usable_event: [0] missing_email")]
    public void Unusable_payloads_are_unparsed_with_a_reason(string json, string reason) =>
        Assert.Equal(new Unparsed(reason), Normalize(json));
}
