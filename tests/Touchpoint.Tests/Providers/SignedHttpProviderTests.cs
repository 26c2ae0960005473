using System.Text;
using System.Text.Json.Nodes;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Providers;
using static Touchpoint.Tests.Providers.ProviderAdapterHost;

namespace Touchpoint.Tests.Providers;

public sealed class SignedHttpProviderTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly string Secret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("gateway-secret-0123456789abcdef"));

    static ProviderAccount Account(FakeProviderServer fake) =>
        ProviderAdapterHost.Account("http", Channel.Rvm, new { baseUrl = fake.Url + "/v1", from = "+14155550100" }, new { webhookSecret = Secret });

    static void AssertSigned(RecordedRequest request) =>
        Assert.True(StandardWebhooksSignature.Verify(Secret, request.Header("webhook-id"), request.Header("webhook-timestamp"),
            request.Header("webhook-signature"), request.Body, TimeProvider.System.GetUtcNow()).IsValid, "signature does not verify");

    [Fact]
    public async Task A_send_is_signed_json_with_the_idempotency_key()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ => new FakeResponse(202, """{"id":"gw-81","status":"queued"}"""));
        await using var host = new ProviderAdapterHost();
        var request = Request(Channel.Rvm, "+14155550123", "Hi, it's Acme", statusCallbackUrl: "https://hooks.example/webhooks/http/ws");
        var result = await host.Provider("http").SendAsync(request, Account(fake), Ct);

        var accepted = Assert.IsType<ProviderSendResult.Accepted>(result);
        Assert.Equal("gw-81", accepted.ProviderMessageId);
        Assert.Equal(MessageStatus.Sent, accepted.Status);
        var sent = fake.Single();
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal("msg_" + request.MessageId.ToString("N"), sent.Header("webhook-id"));
        AssertSigned(sent);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"id":"{{request.MessageId}}","idempotencyKey":"{{request.IdempotencyKey}}","channel":"rvm","to":"+14155550123",
             "from":"+14155550100","body":"Hi, it's Acme","statusCallbackUrl":"https://hooks.example/webhooks/http/ws"}
            """), JsonNode.Parse(sent.Text)), sent.Text);
    }

    [Fact]
    public async Task A_gateway_refusal_keeps_its_code_and_a_5xx_throws()
    {
        await using var fake = await FakeProviderServer.StartAsync(_ =>
            new FakeResponse(422, """{"code":"landline","message":"The number is a landline."}"""));
        await using var host = new ProviderAdapterHost();
        var rejected = Assert.IsType<ProviderSendResult.Rejected>(
            await host.Provider("http").SendAsync(Request(Channel.Rvm, "+14155550123", "Hi"), Account(fake), Ct));
        Assert.Equal(("landline", "The number is a landline."), (rejected.ErrorCode, rejected.ErrorMessage));

        fake.Respond = _ => new FakeResponse(502);
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            host.Provider("http").SendAsync(Request(Channel.Rvm, "+14155550123", "Hi"), Account(fake), Ct));
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task Lookup_by_idempotency_key_finds_or_not()
    {
        await using var fake = await FakeProviderServer.StartAsync(r => r.Path.EndsWith("/known%3A1", StringComparison.Ordinal)
            ? new FakeResponse(200, """{"id":"gw-7","status":"delivered"}""")
            : new FakeResponse(404, """{"code":"not_found"}"""));
        await using var host = new ProviderAdapterHost();
        var known = Request(Channel.Rvm, "+14155550123", "Hi") with { IdempotencyKey = "known:1" };
        var unknown = Request(Channel.Rvm, "+14155550123", "Hi") with { IdempotencyKey = "never:sent" };

        var found = Assert.IsType<ProviderLookupResult.Found>(await host.Provider("http").LookupAsync(known, Account(fake), Ct));
        Assert.Equal(("gw-7", MessageStatus.Delivered), (found.ProviderMessageId, found.Status));
        Assert.IsType<ProviderLookupResult.NotFound>(await host.Provider("http").LookupAsync(unknown, Account(fake), Ct));

        var first = fake.Requests.First();
        Assert.Equal(("GET", "/v1/messages/by-key/known%3A1"), (first.Method, first.Path));
        Assert.Empty(first.Body);
        AssertSigned(first);
    }
}
