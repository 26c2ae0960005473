using Microsoft.Extensions.Logging;
using System.Net;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using static Touchpoint.Tests.Webhooks.WebhookTestKit;

namespace Touchpoint.Tests.Security;

public sealed class SecretLoggingTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Bearer_keys_and_webhook_secrets_never_reach_the_logs_even_at_trace_level(Store store)
    {
        var capture = new LogCapture();
        await using var app = await TouchpointApp.StartAsync(store, pg,
            settings: new Dictionary<string, string> { ["Touchpoint:PublicBaseUrl"] = PublicBaseUrl, ["Logging:LogLevel:Default"] = "Trace" },
            configure: b => b.Logging.AddProvider(capture));
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        await ws.CreateContactAsync(phone: "+14155550123");
        await ws.GetJsonAsync("/api/v1/workspace");
        var wrongKey = "tp_" + new string('w', 43);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client(wrongKey).GetAsync("/api/v1/workspace", Ct)).StatusCode);

        var inbound = await app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioInbound("SM0001", "+14155550123", "hello there")), Ct);
        Assert.Equal(HttpStatusCode.OK, inbound.StatusCode);
        var forged = await app.Anonymous.SendAsync(TwilioPost(ws.Id, TwilioInbound("SM0002", "+14155550123", "hi"), signature: "Zm9yZ2Vk"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        var created = await ws.Http.PostAsync("/api/v1/workspace/api-keys", System.Net.Http.Json.JsonContent.Create(new { name = "ci" }), Ct);
        var newKey = (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("apiKey").GetString()!;

        var logs = capture.Records.ToList();
        // The capture really sees the requests, so the absence below means something.
        Assert.Contains(logs, l => l.Contains($"/webhooks/twilio/{ws.Id}", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("/api/v1/workspace", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.StartsWith("Trace", StringComparison.Ordinal) || l.StartsWith("Debug", StringComparison.Ordinal));
        foreach (var secret in new[] { ws.ApiKey, wrongKey, newKey, TouchpointApp.AdminKey, TwilioToken, MetaSecret, HttpSecret })
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.Ordinal));
    }
}
