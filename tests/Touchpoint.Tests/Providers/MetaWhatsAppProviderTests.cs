using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Providers;
using static Touchpoint.Tests.Providers.ProviderAdapterHost;

namespace Touchpoint.Tests.Providers;

public sealed class MetaWhatsAppProviderTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-03-09T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    const string Accepted = """
        {"messaging_product":"whatsapp","contacts":[{"input":"14155550123","wa_id":"14155550123"}],
         "messages":[{"id":"wamid.HBgLMTQxNTU1NTAxMjMVAgARGBI3QkZFRkQ5QjQ0QkE4RjVBMjYA"}]}
        """;

    static ProviderAccount Account(FakeProviderServer fake) =>
        ProviderAdapterHost.Account("meta", Channel.Whatsapp, new { phoneNumberId = "106540352242922", baseUrl = fake.Url },
            new { accessToken = "EAAG-token" });

    [Fact]
    public async Task Free_text_inside_the_window_goes_out_as_a_text_message()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(200, Accepted));
        await using var host = new ProviderAdapterHost();
        var request = Request(Channel.Whatsapp, "+14155550123", "Sure, see you at 3", lastInboundAt: Now.AddHours(-23), now: Now);
        var result = await host.Provider("meta").SendAsync(request, Account(fake), Ct);

        Assert.Equal("wamid.HBgLMTQxNTU1NTAxMjMVAgARGBI3QkZFRkQ5QjQ0QkE4RjVBMjYA",
            Assert.IsType<ProviderSendResult.Accepted>(result).ProviderMessageId);
        var sent = fake.Single();
        Assert.Equal("/v21.0/106540352242922/messages", sent.Path);
        Assert.Equal("Bearer EAAG-token", sent.Header("Authorization"));
        // biz_opaque_callback_data: our message id, echoed by Meta on each status (found before the wamid is stored).
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""
            {"messaging_product":"whatsapp","recipient_type":"individual","to":"14155550123",
             "biz_opaque_callback_data":"{{{request.MessageId}}}","type":"text","text":{"body":"Sure, see you at 3"}}
            """), JsonNode.Parse(sent.Text)), sent.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(24.0)]
    [InlineData(72.5)]
    public async Task Free_text_outside_the_window_is_refused_without_calling_meta(double? hoursSinceInbound)
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(200, Accepted));
        await using var host = new ProviderAdapterHost();
        DateTimeOffset? last = hoursSinceInbound is { } h ? Now.AddHours(-h) : null;
        var result = await host.Provider("meta").SendAsync(
            Request(Channel.Whatsapp, "+14155550123", "Hello again", lastInboundAt: last, now: Now), Account(fake), Ct);

        var rejected = Assert.IsType<ProviderSendResult.Rejected>(result);
        Assert.Equal("131047", rejected.ErrorCode);
        Assert.False(rejected.Permanent);
        Assert.Equal(ProviderErrorKind.Transient, ProviderErrorClass.Classify(rejected.ErrorCode).Kind);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_template_goes_out_outside_the_window_with_its_language_and_named_parameters()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(200, Accepted));
        await using var host = new ProviderAdapterHost();
        var variables = new JsonObject { ["language"] = "es_MX", ["first_name"] = "Ana", ["slot"] = "3 pm" };
        var request = Request(Channel.Whatsapp, "whatsapp:+14155550123", "(template)", templateKey: "appointment_reminder", variables: variables,
            now: Now);
        var result = await host.Provider("meta").SendAsync(request, Account(fake), Ct);

        Assert.IsType<ProviderSendResult.Accepted>(result);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""
            {"messaging_product":"whatsapp","recipient_type":"individual","to":"14155550123",
             "biz_opaque_callback_data":"{{{request.MessageId}}}","type":"template",
             "template":{"name":"appointment_reminder","language":{"code":"es_MX"},
               "components":[{"type":"body","parameters":[
                 {"type":"text","parameter_name":"first_name","text":"Ana"},
                 {"type":"text","parameter_name":"slot","text":"3 pm"}]}]}}
            """), JsonNode.Parse(fake.Single().Text)), fake.Single().Text);
    }

    [Theory]
    [InlineData(400, 131026, "Message undeliverable", ProviderErrorKind.Permanent)]
    [InlineData(400, 131050, "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.", ProviderErrorKind.OptedOut)]
    [InlineData(401, 190, "Error validating access token: Session has expired", ProviderErrorKind.Transient)]
    public async Task Meta_errors_become_rejections_with_their_code(int status, int code, string message, ProviderErrorKind kind)
    {
        var body = JsonSerializer.Serialize(new
        {
            error = new { message, type = "OAuthException", code, error_data = new { messaging_product = "whatsapp", details = message }, fbtrace_id = "AazEd4ZFbk2Bq" },
        });
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(status, body));
        await using var host = new ProviderAdapterHost();
        var result = await host.Provider("meta").SendAsync(
            Request(Channel.Whatsapp, "+14155550123", "Hi", templateKey: "hello_world", now: Now), Account(fake), Ct);

        var rejected = Assert.IsType<ProviderSendResult.Rejected>(result);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), rejected.ErrorCode);
        Assert.Equal(message, rejected.ErrorMessage);
        Assert.Equal(kind, ProviderErrorClass.Classify(rejected.ErrorCode).Kind);
    }

    [Fact]
    public async Task A_server_error_throws()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(500,
            """{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1}}"""));
        await using var host = new ProviderAdapterHost();
        await Assert.ThrowsAsync<HttpRequestException>(() => host.Provider("meta").SendAsync(
            Request(Channel.Whatsapp, "+14155550123", "Hi", templateKey: "hello_world", now: Now), Account(fake), Ct));
        Assert.Single(fake.Requests);
    }
}
