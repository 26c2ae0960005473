using System.Net;
using System.Text;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Contacts;

public sealed class ContactImportTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<HttpResponseMessage> ImportAsync(WorkspaceClient ws, string csv, string query = "") =>
        ws.Http.PostAsync($"/api/v1/contacts/import{query}", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Import_keeps_valid_rows_and_reports_each_bad_line_by_number(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var csv = new StringBuilder("External_ID,First Name,last_name,Mobile,EMAIL,Timezone,Country,tags\r\n");
        csv.Append("q-1,\"Ana, \"\"the boss\"\"\",\"Multi\nLine\",(415) 555-0123,,,US,vip;es\r\n"); // lines 2-3
        csv.Append("q-2,Bad,Phone,12,,,,\r\n");                                                    // line 4
        csv.Append("q-3,Bad,Zone,,b@example.com,Mars/Base,,\r\n");                                 // line 5
        csv.Append(",,,,,,,\r\n");                                                                  // line 6: blank, skipped
        for (var i = 0; i < 2_000; i++) csv.Append($"bulk-{i},Bulk,{i},,bulk{i}@Example.com,,,\n");  // lines 7-2006
        csv.Append("bulk-x,Bad,Email,,not-an-email,,,\n");                                         // line 2007

        var result = await (await ImportAsync(ws, csv.ToString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2_001, result.GetProperty("created").GetInt32());
        Assert.Equal(0, result.GetProperty("updated").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray()
            .Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal([4, 5, 2007], rejected.Select(r => r.Item1));
        Assert.StartsWith("phone: '12'", rejected[0].Item2, StringComparison.Ordinal);
        Assert.StartsWith("timezone:", rejected[1].Item2, StringComparison.Ordinal);
        Assert.StartsWith("email:", rejected[2].Item2, StringComparison.Ordinal);

        var page = await ws.GetJsonAsync("/api/v1/contacts?tag=vip");
        var ana = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("Ana, \"the boss\"", ana.GetProperty("firstName").GetString());
        Assert.Equal("Multi\nLine", ana.GetProperty("lastName").GetString());
        Assert.Equal("+14155550123", ana.GetProperty("channels")[0].GetProperty("value").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Import_upserts_by_external_id_instead_of_duplicating(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await (await ImportAsync(ws, "id,firstName,phone\nc-1,Ana,+14155550123\nc-2,Bo,+14155550124\n")).ReadJsonAsync(HttpStatusCode.OK);

        var again = await (await ImportAsync(ws, "Cust No,Given,Cell,email\nc-1,Ana María,+14155550123,ana@example.com\nc-3,Cy,+14155550125,\n",
            "?map=Cust%20No:externalId,Given:firstName,Cell:phone")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, again.GetProperty("created").GetInt32());
        Assert.Equal(1, again.GetProperty("updated").GetInt32());

        var items = (await ws.GetJsonAsync("/api/v1/contacts")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        var ana = items.Single(c => c.GetProperty("externalId").GetString() == "c-1");
        Assert.Equal("Ana María", ana.GetProperty("firstName").GetString());
        Assert.Equal(["email:ana@example.com", "sms:+14155550123"], ana.GetProperty("channels").EnumerateArray()
            .Select(c => $"{c.GetProperty("kind").GetString()}:{c.GetProperty("value").GetString()}").Order());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Import_rejects_a_wrong_content_type_and_an_unusable_header(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var json = await ws.Http.PostAsync("/api/v1/contacts/import", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        await ProblemAssert.IsProblemAsync(json, HttpStatusCode.UnsupportedMediaType);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(await ImportAsync(ws, "colour,size\nred,2\n"), HttpStatusCode.BadRequest), "header");
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(await ImportAsync(ws, "id\n1\n", "?map=id:shoe"), HttpStatusCode.BadRequest), "map");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Import_accepts_a_body_above_the_1_MiB_json_limit(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var csv = new StringBuilder("id,email,notes\n");
        var padding = new string('x', 10_000); // an unmapped column: read and ignored
        for (var i = 0; i < 200; i++) csv.Append($"big-{i},big{i}@example.com,{padding}\n");
        Assert.True(csv.Length > 1024 * 1024);
        var result = await (await ImportAsync(ws, csv.ToString())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(200, result.GetProperty("created").GetInt32());
    }
}
