using System.Net;
using System.Net.Http.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Consent;

public sealed class ConsentTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Consent_history_survives_rewrites_and_each_change_is_on_the_timeline(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var id = await ws.CreateContactAsync(phone: "+14155550123");

        foreach (var status in new[] { "opt_in", "opt_out", "opt_in" })
        {
            var recorded = await (await ws.PutConsentAsync(id, "sms", status)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(status, recorded.GetProperty("status").GetString());
            await Task.Delay(5, Ct); // distinct capture instants on the system clock
        }

        var history = await ws.GetJsonAsync($"/api/v1/contacts/{id}/consents/sms/history");
        var statuses = history.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(["opt_in", "opt_out", "opt_in"], statuses);
        var first = history.GetProperty("items")[0];
        Assert.Equal("web_form", first.GetProperty("source").GetString());
        Assert.Equal("203.0.113.7", first.GetProperty("evidence").GetProperty("ip").GetString());

        var contact = await ws.GetJsonAsync($"/api/v1/contacts/{id}");
        var consent = Assert.Single(contact.GetProperty("consents").EnumerateArray());
        Assert.Equal("opt_in", consent.GetProperty("status").GetString());

        var timeline = await ws.GetJsonAsync($"/api/v1/contacts/{id}/timeline");
        var changes = timeline.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("eventType").GetString() == "CONSENT_CHANGED").ToList();
        Assert.Equal(3, changes.Count);
        Assert.Equal(["opt_in", "opt_out", "opt_in"], changes.Select(e => e.GetProperty("payload").GetProperty("status").GetString()));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Bad_channel_status_and_missing_source_are_400s_naming_each_field(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var id = await ws.CreateContactAsync(phone: "+14155550123");

        var response = await ws.Http.PutAsJsonAsync($"/api/v1/contacts/{id}/consents/pigeon", new { status = "maybe" }, Ct);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "channel");
        ProblemAssert.NamesField(problem, "status");
        ProblemAssert.NamesField(problem, "source");

        response = await ws.Http.PutAsJsonAsync($"/api/v1/contacts/{id}/consents/sms", new { status = "unknown", source = "x" }, Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest), "status");
        await ProblemAssert.IsProblemAsync(await ws.Http.GetAsync($"/api/v1/contacts/{id}/consents/pigeon/history", Ct), HttpStatusCode.BadRequest);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Another_workspaces_contact_is_404_for_consent_and_history(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var owner = await app.NewWorkspaceAsync();
        var stranger = await app.NewWorkspaceAsync();
        var id = await owner.CreateContactAsync(phone: "+14155550123");

        await ProblemAssert.IsProblemAsync(await stranger.PutConsentAsync(id, "sms", "opt_out"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await stranger.Http.GetAsync($"/api/v1/contacts/{id}/consents/sms/history", Ct), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await stranger.PutConsentAsync(Guid.CreateVersion7(), "sms", "opt_in"), HttpStatusCode.NotFound);
        var history = await owner.GetJsonAsync($"/api/v1/contacts/{id}/consents/sms/history");
        Assert.Equal(0, history.GetProperty("items").GetArrayLength());
    }
}
