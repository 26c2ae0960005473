using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Foundation;

public sealed class TenancyAndAuthTests(PostgresCluster pg)
{
    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_workspace_key_cannot_read_another_workspaces_contact(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var a = await app.NewWorkspaceAsync();
        var b = await app.NewWorkspaceAsync();
        var created = await b.Http.PostAsJsonAsync("/api/v1/contacts",
            new { firstName = "Bea", channels = new[] { new { kind = "sms", value = "+14155550101" } } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await b.Http.GetAsync($"/api/v1/contacts/{id}", TestContext.Current.CancellationToken)).StatusCode);
        await ProblemAssert.IsProblemAsync(await a.Http.GetAsync($"/api/v1/contacts/{id}", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        var list = await a.Http.GetFromJsonAsync<JsonElement>("/api/v1/contacts", TestContext.Current.CancellationToken);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task The_admin_endpoint_rejects_a_wrong_key_and_a_workspace_key(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var body = new { name = "x", timezone = "UTC" };
        var ct = TestContext.Current.CancellationToken;
        await ProblemAssert.IsProblemAsync(await app.Client("not-the-admin-key").PostAsJsonAsync("/api/v1/admin/workspaces", body, ct), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(await app.Anonymous.PostAsJsonAsync("/api/v1/admin/workspaces", body, ct), HttpStatusCode.Unauthorized);
        var ws = await app.NewWorkspaceAsync();
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsJsonAsync("/api/v1/admin/workspaces", body, ct), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Creating_a_workspace_returns_a_working_key_once_and_stores_only_its_hash()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync("Europe/Madrid", "ES");
        var me = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/workspace", TestContext.Current.CancellationToken);
        Assert.Equal("Europe/Madrid", me.GetProperty("timezone").GetString());
        Assert.Equal("ES", me.GetProperty("defaultRegion").GetString());

        await using var db = Touchpoint.Data.TouchpointDbOptions.Create(app.Provider, app.ConnectionString);
        var stored = db.ApiKeys.Single(k => k.WorkspaceId == ws.Id);
        Assert.NotEqual(ws.ApiKey, stored.Hash);
        Assert.DoesNotContain(ws.ApiKey, stored.Hash, StringComparison.Ordinal);
        Assert.Equal(Auth.ApiKeys.Hash(ws.ApiKey), stored.Hash);
    }

    [Fact]
    public async Task Workspace_creation_names_each_invalid_field()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        var response = await app.Admin.PostAsJsonAsync("/api/v1/admin/workspaces",
            new { name = "", timezone = "Mars/Olympus", defaultRegion = "XX" }, TestContext.Current.CancellationToken);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "name");
        ProblemAssert.NamesField(problem, "timezone");
        ProblemAssert.NamesField(problem, "defaultRegion");
    }
}
