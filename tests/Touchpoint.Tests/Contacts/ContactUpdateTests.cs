using System.Net;
using System.Net.Http.Json;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Contacts;

public sealed class ContactUpdateTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Patch_changes_only_given_fields_and_adds_and_removes_channels(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var id = await ws.CreateContactAsync(phone: "+14155550123", email: "old@example.com");

        var response = await ws.Http.PatchAsJsonAsync($"/api/v1/contacts/{id}", new
        {
            lastName = "Ruiz", stage = "ENGAGED", tags = new[] { "vip", "vip", "es" },
            attributes = new { plan = "gold" },
            addChannels = new[] { new { kind = "whatsapp", value = "415 555 0124" } },
            removeChannels = new[] { new { kind = "email", value = "OLD@example.com" } },
        }, Ct);
        var contact = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Test", contact.GetProperty("firstName").GetString());
        Assert.Equal("Ruiz", contact.GetProperty("lastName").GetString());
        Assert.Equal("ENGAGED", contact.GetProperty("stage").GetString());
        Assert.Equal(["vip", "es"], contact.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("gold", contact.GetProperty("attributes").GetProperty("plan").GetString());
        var channels = contact.GetProperty("channels").EnumerateArray()
            .Select(c => $"{c.GetProperty("kind").GetString()}:{c.GetProperty("value").GetString()}").Order().ToList();
        Assert.Equal(["sms:+14155550123", "whatsapp:+14155550124"], channels);

        var timeline = await ws.GetJsonAsync($"/api/v1/contacts/{id}/timeline?limit=1");
        Assert.Equal("CONTACT_UPDATED", Assert.Single(timeline.GetProperty("items").EnumerateArray()).GetProperty("eventType").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Patch_names_bad_fields_and_cannot_reach_another_workspace(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var other = await app.NewWorkspaceAsync();
        var id = await ws.CreateContactAsync(phone: "+14155550123");

        var bad = await ws.Http.PatchAsJsonAsync($"/api/v1/contacts/{id}", new
        {
            timezone = "Mars/Base", stage = "SLEEPY",
            addChannels = new[] { new { kind = "sms", value = "12" } },
            removeChannels = new[] { new { kind = "email", value = "nobody@example.com" } },
        }, Ct);
        var problem = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest);
        foreach (var field in new[] { "timezone", "stage", "addChannels[0].value", "removeChannels[0].value" })
            ProblemAssert.NamesField(problem, field);

        await ProblemAssert.IsProblemAsync(await other.Http.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { firstName = "X" }, Ct), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await other.Http.GetAsync($"/api/v1/contacts/{id}/timeline", Ct), HttpStatusCode.NotFound);
        Assert.Equal("Test", (await ws.GetJsonAsync($"/api/v1/contacts/{id}")).GetProperty("firstName").GetString());
    }
}
