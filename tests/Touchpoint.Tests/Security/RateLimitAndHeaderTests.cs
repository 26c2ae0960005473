using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Security;

public sealed class RateLimitAndHeaderTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_address_that_keeps_failing_authentication_is_locked_out_with_429(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, settings: new Dictionary<string, string>
        {
            ["Touchpoint:RateLimiting:AuthFailures:PermitLimit"] = "3",
            ["Touchpoint:RateLimiting:AuthFailures:Window"] = "00:10:00",
        });
        var ws = await app.NewWorkspaceAsync();
        Assert.Equal(HttpStatusCode.OK, (await ws.Http.GetAsync("/api/v1/workspace", Ct)).StatusCode);
        var guesser = app.Client("tp_guess");

        for (var i = 0; i < 3; i++)
            await ProblemAssert.IsProblemAsync(await guesser.GetAsync("/api/v1/workspace", Ct), HttpStatusCode.Unauthorized);
        var locked = await guesser.GetAsync("/api/v1/workspace", Ct);

        var problem = await ProblemAssert.IsProblemAsync(locked, HttpStatusCode.TooManyRequests);
        Assert.Contains("failed authentication", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(10), locked.Headers.RetryAfter?.Delta);
        // The lock-out is per address, so from here even the right key waits; anonymous endpoints do not.
        await ProblemAssert.IsProblemAsync(await ws.Http.GetAsync("/api/v1/workspace", Ct), HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.GetAsync("/health/live", Ct)).StatusCode);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Webhooks_and_public_pages_are_rate_limited_per_address(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, settings: new Dictionary<string, string>
        {
            ["Touchpoint:RateLimiting:Webhooks:PermitLimit"] = "2",
            ["Touchpoint:RateLimiting:Webhooks:Window"] = "00:01:00",
            ["Touchpoint:RateLimiting:Public:PermitLimit"] = "1",
        });
        var ws = await app.NewWorkspaceAsync();

        for (var i = 0; i < 2; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await app.Anonymous.PostAsync($"/webhooks/http/{ws.Id}", new StringContent("{}"), Ct)).StatusCode);
        var limited = await app.Anonymous.PostAsync($"/webhooks/http/{ws.Id}", new StringContent("{}"), Ct);
        await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);

        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await app.Anonymous.GetAsync("/u/some-token", Ct)).StatusCode);
        await ProblemAssert.IsProblemAsync(await app.Anonymous.GetAsync("/u/some-token", Ct), HttpStatusCode.TooManyRequests);
        // The API itself is not limited by these rules.
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await ws.Http.GetAsync("/api/v1/workspace", Ct)).StatusCode);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task The_client_address_comes_from_X_Forwarded_For_only_behind_a_configured_proxy(Store store)
    {
        var limits = new Dictionary<string, string>
        {
            ["Touchpoint:RateLimiting:Webhooks:PermitLimit"] = "1",
            ["Touchpoint:RateLimiting:Webhooks:Window"] = "00:01:00",
        };
        await using (var direct = await TouchpointApp.StartAsync(store, pg, settings: limits))
        {
            var ws = await direct.NewWorkspaceAsync();
            // No proxy configured: a client cannot escape its limit by inventing X-Forwarded-For.
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await PostFrom(direct, ws.Id, "203.0.113.1")).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await PostFrom(direct, ws.Id, "203.0.113.2")).StatusCode);
            Assert.Equal(["127.0.0.1"], await ArchivedAddresses(ws));
        }

        await using var proxied = await TouchpointApp.StartAsync(store, pg,
            settings: new Dictionary<string, string>(limits) { ["Touchpoint:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });
        var behindProxy = await proxied.NewWorkspaceAsync();
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await PostFrom(proxied, behindProxy.Id, "203.0.113.1")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostFrom(proxied, behindProxy.Id, "203.0.113.1")).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await PostFrom(proxied, behindProxy.Id, "203.0.113.2")).StatusCode);
        Assert.Equal(["203.0.113.1", "203.0.113.2"], await ArchivedAddresses(behindProxy));
    }

    static Task<HttpResponseMessage> PostFrom(TouchpointApp app, Guid workspaceId, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/http/{workspaceId}") { Content = new StringContent("{}") };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return app.Anonymous.SendAsync(request, Ct);
    }

    static async Task<string[]> ArchivedAddresses(WorkspaceClient ws)
    {
        var page = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/webhooks/deliveries", Ct);
        return [.. page.EnumerateArray().Select(d => d.GetProperty("remoteAddress").GetString()!).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        var responses = new[]
        {
            await app.Anonymous.GetAsync("/health/live", Ct),
            await ws.Http.GetAsync("/api/v1/workspace", Ct),
            await app.Anonymous.GetAsync("/api/v1/workspace", Ct),
            await ws.Http.GetAsync($"/api/v1/contacts/{Guid.NewGuid()}", Ct),
            await app.Anonymous.GetAsync("/no/such/page", Ct),
            await ws.Http.PostAsync("/api/v1/contacts", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), Ct),
        };
        foreach (var r in responses)
        {
            var csp = string.Join(";", r.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(r.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("no-referrer", Assert.Single(r.Headers.GetValues("Referrer-Policy")));
        }
    }
}
