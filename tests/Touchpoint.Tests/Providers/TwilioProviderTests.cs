using System.Text;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Providers;
using static Touchpoint.Tests.Providers.ProviderAdapterHost;

namespace Touchpoint.Tests.Providers;

public sealed class TwilioProviderTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    const string Sid = "AC0123456789abcdef0123456789abcdef";
    const string Token = "twilio-token-xyz";

    static ProviderAccount Account(FakeProviderServer fake, Channel channel, object? settings = null) =>
        ProviderAdapterHost.Account("twilio", channel, settings ?? new { accountSid = Sid, from = "+14155550100", baseUrl = fake.Url },
            new { authToken = Token });

    static string MessageResource(string status = "queued", string? errorCode = null, string? price = null) => $$"""
        {"account_sid":"{{Sid}}","api_version":"2010-04-01","body":"Hi","date_created":"Thu, 24 Aug 2025 05:01:45 +0000",
         "direction":"outbound-api","error_code":{{(errorCode ?? "null")}},"error_message":null,"from":"+14155550100",
         "messaging_service_sid":null,"num_media":"0","num_segments":"1","price":{{(price is null ? "null" : $"\"{price}\"")}},
         "price_unit":"USD","sid":"SM1f0e8ae6ade43cb3c0ce4525424e404f","status":"{{status}}","to":"+14155550123",
         "uri":"/2010-04-01/Accounts/{{Sid}}/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json"}
        """;

    static string Error(int code, string message, int status = 400) =>
        $$"""{"code":{{code}},"message":"{{message}}","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":{{status}}}""";

    [Fact]
    public async Task An_sms_is_posted_as_a_form_with_basic_auth_and_the_status_callback()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(201, MessageResource(price: "-0.00790")));
        await using var host = new ProviderAdapterHost();
        var result = await host.Provider("twilio").SendAsync(
            Request(Channel.Sms, "+14155550123", "Hi Ana", statusCallbackUrl: "https://hooks.example/webhooks/twilio/ws"),
            Account(fake, Channel.Sms), Ct);

        var accepted = Assert.IsType<ProviderSendResult.Accepted>(result);
        Assert.Equal("SM1f0e8ae6ade43cb3c0ce4525424e404f", accepted.ProviderMessageId);
        Assert.Equal(MessageStatus.Sent, accepted.Status);
        Assert.Equal(0.0079m, accepted.Cost);
        Assert.Equal("USD", accepted.Currency);

        var sent = fake.Single();
        Assert.Equal("POST", sent.Method);
        Assert.Equal($"/2010-04-01/Accounts/{Sid}/Messages.json", sent.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Sid}:{Token}")), sent.Header("Authorization"));
        Assert.StartsWith("application/x-www-form-urlencoded", sent.Header("Content-Type"));
        Assert.Equal(new Dictionary<string, string>
        {
            ["To"] = "+14155550123", ["From"] = "+14155550100", ["Body"] = "Hi Ana",
            ["StatusCallback"] = "https://hooks.example/webhooks/twilio/ws",
        }, sent.Form);
    }

    [Fact]
    public async Task Whatsapp_uses_whatsapp_addresses_and_a_messaging_service_when_no_from_is_set()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(201, MessageResource()));
        await using var host = new ProviderAdapterHost();
        var account = Account(fake, Channel.Whatsapp, new { accountSid = Sid, messagingServiceSid = "MG123", baseUrl = fake.Url });
        Assert.IsType<ProviderSendResult.Accepted>(await host.Provider("twilio").SendAsync(
            Request(Channel.Whatsapp, "+14155550123", "Hola"), account, Ct));
        Assert.IsType<ProviderSendResult.Accepted>(await host.Provider("twilio").SendAsync(
            Request(Channel.Whatsapp, "+14155550123", "Hola", from: "whatsapp:+14155550199"), account, Ct));

        var requests = fake.Requests.ToList();
        Assert.Equal(new Dictionary<string, string> { ["To"] = "whatsapp:+14155550123", ["MessagingServiceSid"] = "MG123", ["Body"] = "Hola" },
            requests[0].Form);
        Assert.Equal("whatsapp:+14155550199", requests[1].Form["From"]);
        Assert.Equal("whatsapp:+14155550123", requests[1].Form["To"]);
    }

    [Theory]
    [InlineData(400, 21610, "Attempt to send to unsubscribed recipient", ProviderErrorKind.OptedOut)]
    [InlineData(400, 21211, "The 'To' number +1415 is not a valid phone number.", ProviderErrorKind.Permanent)]
    [InlineData(401, 20003, "Authenticate", ProviderErrorKind.Transient)]
    public async Task Twilio_error_responses_become_rejections_with_their_code(int status, int code, string message, ProviderErrorKind kind)
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(status, Error(code, message, status)));
        await using var host = new ProviderAdapterHost();
        var result = await host.Provider("twilio").SendAsync(Request(Channel.Sms, "+14155550123", "Hi"), Account(fake, Channel.Sms), Ct);

        var rejected = Assert.IsType<ProviderSendResult.Rejected>(result);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), rejected.ErrorCode);
        Assert.Equal(message, rejected.ErrorMessage);
        Assert.Equal(kind, ProviderErrorClass.Classify(rejected.ErrorCode).Kind);
    }

    [Theory]
    [InlineData("failed", "30006", ProviderErrorKind.Permanent)]
    [InlineData("undelivered", "30003", ProviderErrorKind.Transient)]
    public async Task A_message_resource_that_is_already_failed_is_a_rejection(string status, string code, ProviderErrorKind kind)
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(201, MessageResource(status, code)));
        await using var host = new ProviderAdapterHost();
        var result = await host.Provider("twilio").SendAsync(Request(Channel.Sms, "+14155550123", "Hi"), Account(fake, Channel.Sms), Ct);

        var rejected = Assert.IsType<ProviderSendResult.Rejected>(result);
        Assert.Equal(code, rejected.ErrorCode);
        Assert.Equal(kind, ProviderErrorClass.Classify(rejected.ErrorCode).Kind);
    }

    [Fact]
    public async Task A_server_error_throws_and_the_send_is_not_retried()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(503, Error(20500, "Service unavailable", 503)));
        await using var host = new ProviderAdapterHost();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            host.Provider("twilio").SendAsync(Request(Channel.Sms, "+14155550123", "Hi"), Account(fake, Channel.Sms), Ct));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        // The POST may have reached Twilio: a retry here could text the person twice.
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task A_call_says_the_escaped_body_and_a_voicemail_drop_waits_for_the_beep()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(201,
            """{"sid":"CA5ef8732a3c49700934481addd5ce1659","status":"queued","price":null,"price_unit":"USD"}"""));
        await using var host = new ProviderAdapterHost();
        var callAccount = Account(fake, Channel.Call, new { accountSid = Sid, from = "+14155550100", baseUrl = fake.Url, voice = "Polly.Joanna" });
        var call = await host.Provider("twilio").SendAsync(
            Request(Channel.Call, "+14155550123", "Tom & Jerry <3", statusCallbackUrl: "https://hooks.example/cb"), callAccount, Ct);
        var voicemail = await host.Provider("twilio").SendAsync(
            Request(Channel.Voicemail, "+14155550123", "Call us back"), Account(fake, Channel.Voicemail), Ct);

        Assert.Equal("CA5ef8732a3c49700934481addd5ce1659", Assert.IsType<ProviderSendResult.Accepted>(call).ProviderMessageId);
        Assert.IsType<ProviderSendResult.Accepted>(voicemail);
        var (callRequest, voicemailRequest) = (fake.Requests.First(), fake.Requests.Last());
        Assert.Equal($"/2010-04-01/Accounts/{Sid}/Calls.json", callRequest.Path);
        Assert.Equal(new Dictionary<string, string>
        {
            ["To"] = "+14155550123", ["From"] = "+14155550100",
            ["Twiml"] = "<Response><Say voice=\"Polly.Joanna\">Tom &amp; Jerry &lt;3</Say></Response>",
            ["StatusCallback"] = "https://hooks.example/cb",
        }, callRequest.Form);
        Assert.Equal("DetectMessageEnd", voicemailRequest.Form["MachineDetection"]);
        Assert.Equal("<Response><Say>Call us back</Say></Response>", voicemailRequest.Form["Twiml"]);
        Assert.False(callRequest.Form.ContainsKey("MachineDetection"));
    }
}
