using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Foundation;

public sealed class HostBasicsTests(PostgresCluster pg)
{
    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Health_endpoints_answer_and_readiness_checks_the_database(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.GetAsync("/health/live", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.GetAsync("/health/ready", ct)).StatusCode);
    }

    [Fact]
    public async Task Errors_are_problem_json_for_unknown_routes_bad_json_and_oversized_bodies()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        var ct = TestContext.Current.CancellationToken;
        await ProblemAssert.IsProblemAsync(await ws.Http.GetAsync("/api/v1/no-such-thing", ct), HttpStatusCode.NotFound);

        var malformed = new StringContent("{\"firstName\": \"A\", \"channels\": [{\"kind\": 5}]}", Encoding.UTF8, "application/json");
        var bad = await ProblemAssert.IsProblemAsync(await ws.Http.PostAsync("/api/v1/contacts", malformed, ct), HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(bad, "channels[0].kind");

        // Expect: 100-continue, as a client that sends big bodies should: the server refuses on Content-Length alone, so
        // the body is never sent. Without it the refusal races with the client still writing 1 MB (a broken pipe, not the 413).
        using var huge = new HttpRequestMessage(HttpMethod.Post, "/api/v1/contacts")
        {
            Content = new StringContent($"{{\"firstName\": \"{new string('a', 1_100_000)}\"}}", Encoding.UTF8, "application/json"),
        };
        huge.Headers.ExpectContinue = true;
        await ProblemAssert.IsProblemAsync(await ws.Http.SendAsync(huge, ct), HttpStatusCode.RequestEntityTooLarge);

        var text = new StringContent("firstName=A", Encoding.UTF8, "text/plain");
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsync("/api/v1/contacts", text, ct), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_public_routes()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        var doc = await app.Anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/admin/workspaces", "/api/v1/workspace", "/api/v1/contacts", "/api/v1/contacts/{id}", "/api/v1/admin/clock/advance" })
            Assert.True(paths.TryGetProperty(path, out _), $"openapi lacks {path}");
    }

    [Fact]
    public async Task The_manual_clock_moves_only_when_advanced_and_is_404_on_the_system_clock()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var manual = await TouchpointApp.StartAsync(Store.Sqlite, pg, clockAt: "2025-03-09T06:00:00Z"))
        {
            var before = await manual.Admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock", ct);
            Assert.Equal("manual", before.GetProperty("mode").GetString());
            Assert.Equal(DateTimeOffset.Parse("2025-03-09T06:00:00Z"), before.GetProperty("now").GetDateTimeOffset());
            var advanced = await manual.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes = 90 }, ct);
            Assert.Equal(DateTimeOffset.Parse("2025-03-09T07:30:00Z"),
                (await advanced.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("now").GetDateTimeOffset());
        }
        await using var system = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        await ProblemAssert.IsProblemAsync(await system.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes = 5 }, ct), HttpStatusCode.NotFound);
    }
}
