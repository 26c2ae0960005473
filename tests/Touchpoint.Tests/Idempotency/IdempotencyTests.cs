using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Idempotency;

public sealed class IdempotencyTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<HttpResponseMessage> PostAsync(WorkspaceClient ws, string path, string json, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await ws.Http.SendAsync(request, Ct);
    }

    static string ContactJson(string phone, string? externalId = null) =>
        JsonSerializer.Serialize(new { externalId, firstName = "Ana", channels = new[] { new { kind = "sms", value = phone } } });

    static bool Replayed(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Single() == "true";

    static async Task<int> CountAsync(WorkspaceClient ws, string path) =>
        (await ws.GetJsonAsync(path)).GetProperty("items").GetArrayLength();

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_repeated_key_replays_the_first_response_on_every_create_endpoint_and_creates_nothing_new(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();

        var first = await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550101", "ext-1"), "contact-1");
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(Replayed(first));
        var again = await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550101", "ext-1"), "contact-1");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.True(Replayed(again));
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync(Ct));
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal("application/json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await CountAsync(ws, "/api/v1/contacts"));
        var contactId = JsonDocument.Parse(firstBody).RootElement.GetProperty("id").GetGuid();

        var campaign = JsonSerializer.Serialize(new
        {
            name = "Spring", policy = new { allowedChannels = new[] { "sms" }, preset = "BALANCED" },
            steps = new[] { new { channel = "sms", template = "Hi", delayMinutes = 0 } },
        });
        var campaignBody = await ReplayedTwiceAsync(ws, "/api/v1/campaigns", campaign, HttpStatusCode.Created);
        Assert.Equal(1, (await ws.GetJsonAsync("/api/v1/campaigns")).GetArrayLength());
        var campaignId = JsonDocument.Parse(campaignBody).RootElement.GetProperty("id").GetGuid();

        var enrolled = await ReplayedTwiceAsync(ws, $"/api/v1/campaigns/{campaignId}/enrollments",
            JsonSerializer.Serialize(new { contactIds = new[] { contactId } }), HttpStatusCode.OK);
        // The replay is the first answer ("enrolled": 1), not a second run's ("alreadyEnrolled": 1).
        Assert.Equal(1, JsonDocument.Parse(enrolled).RootElement.GetProperty("enrolled").GetInt32());

        await ReplayedTwiceAsync(ws, "/api/v1/suppressions",
            JsonSerializer.Serialize(new { value = "+14155550199", reason = "dnc" }), HttpStatusCode.Created);
        Assert.Equal(1, await CountAsync(ws, "/api/v1/suppressions"));

        await ReplayedTwiceAsync(ws, "/api/v1/attestations", JsonSerializer.Serialize(new
        {
            channels = new[] { "call" }, consentBasis = "signed form", attestedBy = "ops@example.com", expiresAt = "2099-01-01T00:00:00Z",
        }), HttpStatusCode.Created);
        Assert.Equal(1, await CountAsync(ws, "/api/v1/attestations"));
    }

    static async Task<string> ReplayedTwiceAsync(WorkspaceClient ws, string path, string json, HttpStatusCode expected)
    {
        var key = $"key-{Guid.NewGuid():N}";
        var first = await PostAsync(ws, path, json, key);
        var body = await first.Content.ReadAsStringAsync(Ct);
        Assert.True(first.StatusCode == expected, $"{path}: {(int)first.StatusCode} {body}");
        var second = await PostAsync(ws, path, json, key);
        Assert.Equal(expected, second.StatusCode);
        Assert.True(Replayed(second), $"{path}: second response was not a replay");
        Assert.Equal(body, await second.Content.ReadAsStringAsync(Ct));
        return body;
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task The_same_key_for_another_body_or_path_is_422_naming_the_header(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550102"), "k")).StatusCode);

        var otherBody = await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550103"), "k");
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(otherBody, HttpStatusCode.UnprocessableEntity), "Idempotency-Key");
        var otherPath = await PostAsync(ws, "/api/v1/suppressions", JsonSerializer.Serialize(new { value = "+14155550103", reason = "dnc" }), "k");
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(otherPath, HttpStatusCode.UnprocessableEntity), "Idempotency-Key");
        Assert.Equal(1, await CountAsync(ws, "/api/v1/contacts"));
        Assert.Equal(0, await CountAsync(ws, "/api/v1/suppressions"));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Without_the_header_every_request_runs_and_errors_are_never_replayed(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var a = await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550104"), null);
        var b = await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550104"), null);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (a.StatusCode, b.StatusCode));
        Assert.False(Replayed(b));
        Assert.Equal(2, await CountAsync(ws, "/api/v1/contacts"));

        // A 400 is not stored: the corrected request under the same key runs, and is then replayed.
        var bad = await PostAsync(ws, "/api/v1/contacts", ContactJson("12"), "fix-me");
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest), "channels[0].value");
        var badAgain = await PostAsync(ws, "/api/v1/contacts", ContactJson("12"), "fix-me");
        Assert.False(Replayed(badAgain));
        await ProblemAssert.IsProblemAsync(badAgain, HttpStatusCode.BadRequest);
        var fixedUp = await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550105"), "fix-me");
        Assert.Equal(HttpStatusCode.Created, fixedUp.StatusCode);
        Assert.False(Replayed(fixedUp));
        Assert.True(Replayed(await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550105"), "fix-me")));
        Assert.Equal(3, await CountAsync(ws, "/api/v1/contacts"));

        var tooLong = await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550106"), new string('k', 256));
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest), "Idempotency-Key");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(ws, "/api/v1/contacts", ContactJson("+14155550106"), new string('k', 255))).StatusCode);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Keys_are_per_workspace(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var one = await app.NewWorkspaceAsync();
        var two = await app.NewWorkspaceAsync();
        var a = await PostAsync(one, "/api/v1/contacts", ContactJson("+14155550107"), "shared-key");
        var b = await PostAsync(two, "/api/v1/contacts", ContactJson("+14155550108"), "shared-key");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (a.StatusCode, b.StatusCode));
        Assert.False(Replayed(b));
        var inOne = (await one.GetJsonAsync("/api/v1/contacts")).GetProperty("items");
        var inTwo = (await two.GetJsonAsync("/api/v1/contacts")).GetProperty("items");
        Assert.Equal("+14155550107", Assert.Single(inOne.EnumerateArray()).GetProperty("channels")[0].GetProperty("value").GetString());
        Assert.Equal("+14155550108", Assert.Single(inTwo.EnumerateArray()).GetProperty("channels")[0].GetProperty("value").GetString());
        // And a replay in workspace two returns workspace two's contact.
        var replay = await PostAsync(two, "/api/v1/contacts", ContactJson("+14155550108"), "shared-key");
        Assert.True(Replayed(replay));
        Assert.Equal(await b.Content.ReadAsStringAsync(Ct), await replay.Content.ReadAsStringAsync(Ct));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Concurrent_first_uses_create_one_contact_and_the_rest_replay_or_get_409(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var json = ContactJson("+14155550109");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(ws, "/api/v1/contacts", json, "race")));

        Assert.Equal(1, await CountAsync(ws, "/api/v1/contacts"));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !Replayed(r));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(conflict, HttpStatusCode.Conflict), "Idempotency-Key");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_key_expires_after_the_configured_retention(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-01T12:00:00Z",
            settings: new Dictionary<string, string> { ["Touchpoint:Idempotency:Retention"] = "00:10:00" });
        var ws = await app.NewWorkspaceAsync();
        var json = ContactJson("+14155550110");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(ws, "/api/v1/contacts", json, "short-lived")).StatusCode);
        (await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes = 9 }, Ct)).EnsureSuccessStatusCode();
        Assert.True(Replayed(await PostAsync(ws, "/api/v1/contacts", json, "short-lived")));
        (await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes = 2 }, Ct)).EnsureSuccessStatusCode();
        var afterExpiry = await PostAsync(ws, "/api/v1/contacts", json, "short-lived");
        Assert.Equal(HttpStatusCode.Created, afterExpiry.StatusCode);
        Assert.False(Replayed(afterExpiry));
        Assert.Equal(2, await CountAsync(ws, "/api/v1/contacts"));
    }
}
