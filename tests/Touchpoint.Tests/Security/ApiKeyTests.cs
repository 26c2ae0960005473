using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Security;

public sealed class ApiKeyTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_new_key_is_shown_once_listed_without_secrets_and_a_revoked_key_is_refused_at_once(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();

        var created = await (await ws.Http.PostAsJsonAsync("/api/v1/workspace/api-keys", new { name = "ci pipeline" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var newKey = created.GetProperty("apiKey").GetString()!;
        Assert.StartsWith("tp_", newKey, StringComparison.Ordinal);
        Assert.Equal(newKey[..10], created.GetProperty("prefix").GetString());
        var second = app.Client(newKey);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/workspace", Ct)).StatusCode);

        var list = await ws.GetJsonAsync("/api/v1/workspace/api-keys");
        Assert.Equal(2, list.GetArrayLength());
        Assert.DoesNotContain(newKey, list.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(ws.ApiKey, list.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Auth.ApiKeys.Hash(newKey), list.GetRawText(), StringComparison.Ordinal);
        foreach (var key in list.EnumerateArray())
        {
            Assert.False(key.TryGetProperty("apiKey", out _));
            Assert.False(key.TryGetProperty("hash", out _));
            Assert.NotEqual(JsonValueKind.Null, key.GetProperty("lastUsedAt").ValueKind); // both keys were used above
        }
        var original = list.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "default").GetProperty("id").GetGuid();

        var revoked = await (await second.DeleteAsync($"/api/v1/workspace/api-keys/{original}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(revoked.GetProperty("revoked").GetBoolean());
        await ProblemAssert.IsProblemAsync(await ws.Http.GetAsync("/api/v1/workspace", Ct), HttpStatusCode.Unauthorized);

        var last = list.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "ci pipeline").GetProperty("id").GetGuid();
        var refused = await ProblemAssert.IsProblemAsync(await second.DeleteAsync($"/api/v1/workspace/api-keys/{last}", Ct), HttpStatusCode.Conflict);
        Assert.Contains("last active", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/workspace", Ct)).StatusCode);

        var audit = (await (await second.GetAsync("/api/v1/audit", Ct)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(["api_key.revoked", "api_key.created"], audit.Select(a => a.GetProperty("action").GetString()));
        Assert.Equal($"{newKey[..10]}… (ci pipeline)", audit[0].GetProperty("actor").GetString());
        Assert.Equal($"api_key:{original}", audit[0].GetProperty("target").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Keys_of_another_workspace_cannot_be_listed_or_revoked_and_names_are_validated(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var a = await app.NewWorkspaceAsync();
        var b = await app.NewWorkspaceAsync();
        var aKey = Assert.Single((await a.GetJsonAsync("/api/v1/workspace/api-keys")).EnumerateArray()).GetProperty("id").GetGuid();
        await (await a.Http.PostAsJsonAsync("/api/v1/workspace/api-keys", new { name = "spare" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Single((await b.GetJsonAsync("/api/v1/workspace/api-keys")).EnumerateArray());
        await ProblemAssert.IsProblemAsync(await b.Http.DeleteAsync($"/api/v1/workspace/api-keys/{aKey}", Ct), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await a.Http.GetAsync("/api/v1/workspace", Ct)).StatusCode);
        Assert.Empty((await b.GetJsonAsync("/api/v1/audit")).EnumerateArray());

        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(
            await a.Http.PostAsJsonAsync("/api/v1/workspace/api-keys", new { name = "" }, Ct), HttpStatusCode.BadRequest), "name");
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(await a.Http.GetAsync("/api/v1/audit?limit=0", Ct), HttpStatusCode.BadRequest), "limit");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Campaign_status_changes_and_enrollments_are_audited_with_the_acting_key(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var campaign = await Commands.CommandRequests.CampaignAsync(ws, "Spring Promo", activate: true);
        var contact = await ws.CreateContactAsync(phone: "+14155550100");
        await (await ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/enrollments", new { contactIds = new[] { contact } }, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsync($"/api/v1/campaigns/{campaign}/resume", null, Ct), HttpStatusCode.Conflict);

        var audit = (await ws.GetJsonAsync("/api/v1/audit?limit=10")).EnumerateArray().ToList();
        Assert.Equal(["campaign.enrolled", "campaign.status_changed"], audit.Select(a => a.GetProperty("action").GetString()));
        Assert.Equal("active", audit[1].GetProperty("detail").GetProperty("to").GetString());
        Assert.Equal(1, audit[0].GetProperty("detail").GetProperty("enrolled").GetInt32());
        Assert.All(audit, a => Assert.Equal($"{ws.ApiKey[..10]}… (default)", a.GetProperty("actor").GetString()));
        Assert.Single((await ws.GetJsonAsync("/api/v1/audit?limit=1")).EnumerateArray());
    }
}
