using System.Text.Json.Nodes;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Providers;
using static Touchpoint.Tests.Providers.ProviderAdapterHost;

namespace Touchpoint.Tests.Providers;

public sealed class SendGridProviderTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static ProviderAccount Account(FakeProviderServer fake) =>
        ProviderAdapterHost.Account("sendgrid", Channel.Email, new { from = "news@acme.example", fromName = "Acme", baseUrl = fake.Url },
            new { apiKey = "SG.test-key" });

    [Fact]
    public async Task Mail_send_carries_our_message_id_and_one_click_unsubscribe_headers()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ =>
            new FakeResponse(202, null, new Dictionary<string, string> { ["X-Message-Id"] = "W86EgYT6SQKk0lRflfLRsA" }));
        await using var host = new ProviderAdapterHost();
        var request = Request(Channel.Email, "ana@example.com", "Hello Ana", subject: "Your visit",
            unsubscribeUrl: "https://hooks.example/u/abc");
        var result = await host.Provider("sendgrid").SendAsync(request, Account(fake), Ct);

        Assert.Equal("W86EgYT6SQKk0lRflfLRsA", Assert.IsType<ProviderSendResult.Accepted>(result).ProviderMessageId);
        var sent = fake.Single();
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v3/mail/send", sent.Path);
        Assert.Equal("Bearer SG.test-key", sent.Header("Authorization"));
        var expected = JsonNode.Parse("""
            {"personalizations":[{"to":[{"email":"ana@example.com"}]}],
             "from":{"email":"news@acme.example","name":"Acme"},
             "subject":"Your visit",
             "content":[{"type":"text/plain","value":"Hello Ana"}],
             "custom_args":{"touchpoint_message_id":"MESSAGE_ID","touchpoint_workspace_id":"WORKSPACE_ID"},
             "headers":{"List-Unsubscribe":"<https://hooks.example/u/abc>","List-Unsubscribe-Post":"List-Unsubscribe=One-Click"}}
            """.Replace("MESSAGE_ID", request.MessageId.ToString(), StringComparison.Ordinal)
               .Replace("WORKSPACE_ID", request.WorkspaceId.ToString(), StringComparison.Ordinal));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(sent.Text)), sent.Text);
    }

    [Theory]
    [InlineData(400, "from", "The from address does not match a verified Sender Identity.", "http_400", ProviderErrorKind.Permanent)]
    [InlineData(401, null, "The provided authorization grant is invalid, expired, or revoked", "http_401", ProviderErrorKind.Transient)]
    public async Task SendGrid_errors_become_rejections(int status, string? field, string message, string code, ProviderErrorKind kind)
    {
        var body = new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["field"] = field, ["help"] = null }),
        }.ToJsonString();
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(status, body));
        await using var host = new ProviderAdapterHost();
        var result = await host.Provider("sendgrid").SendAsync(Request(Channel.Email, "ana@example.com", "Hi", subject: "S"), Account(fake), Ct);

        var rejected = Assert.IsType<ProviderSendResult.Rejected>(result);
        Assert.Equal(code, rejected.ErrorCode);
        Assert.Equal(field is null ? message : $"{field}: {message}", rejected.ErrorMessage);
        Assert.Equal(kind, ProviderErrorClass.Classify(rejected.ErrorCode).Kind);
    }

    [Fact]
    public async Task Rate_limiting_throws_so_the_dispatcher_retries_later()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(429, """{"errors":[{"message":"too many requests"}]}"""));
        await using var host = new ProviderAdapterHost();
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            host.Provider("sendgrid").SendAsync(Request(Channel.Email, "ana@example.com", "Hi", subject: "S"), Account(fake), Ct));
        Assert.Single(fake.Requests);
    }
}
