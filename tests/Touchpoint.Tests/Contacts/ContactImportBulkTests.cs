using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Contacts;

/// <summary>
/// The import's two write paths — bulk insert for new external ids, EF upsert for existing ones — against the
/// rows <c>POST /api/v1/contacts</c> (EF SaveChanges) writes, compared column by column as stored.
/// </summary>
public sealed class ContactImportBulkTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<HttpResponseMessage> ImportAsync(WorkspaceClient ws, string csv) =>
        ws.Http.PostAsync("/api/v1/contacts/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

    const string MixedCsv =
        "external_id,first_name,last_name,phone,email,timezone,country,tags\n" +
        "imp-new,Ana,Lee,(415) 555-0101,Ana@Example.com,America/Chicago,us,lead;vip\n" + // line 2: new → bulk insert
        "old-1,Bo,,+14155550102,bo@example.com,,,vip\n" +                                // line 3: exists → EF update
        "bad-1,Cy,,12,,,,\n" +                                                          // line 4: rejected
        "imp-dup,Di,,+14155550103,,,,\n" +                                              // line 5: new
        "imp-dup,,Dee,,di@example.com,,,x\n" +                                          // line 6: same id again → update
        ",Ed,,+14155550104,,,,\n";                                                      // line 7: no external id → insert

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Mixed_import_stores_new_rows_as_create_does_updates_existing_ones_and_reports_bad_lines(Store store)
    {
        // A manual clock: the API-created and the imported rows get the same instants, so every column can be compared.
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-10T15:00:00Z");
        var ws = await app.NewWorkspaceAsync();
        await CreateAsync(ws, new
        {
            externalId = "ef-new", firstName = "Ana", lastName = "Lee", timezone = "America/Chicago", region = "US", tags = new[] { "lead", "vip" },
            channels = new[] { new { kind = "sms", value = "(415) 555-0101" }, new { kind = "email", value = "Ana@Example.com" } },
        });
        await CreateAsync(ws, new { externalId = "old-1", firstName = "Old", tags = new[] { "lead" }, channels = new[] { new { kind = "sms", value = "+14155550102" } } });

        var result = await (await ImportAsync(ws, MixedCsv)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, result.GetProperty("created").GetInt32());
        Assert.Equal(2, result.GetProperty("updated").GetInt32());
        var rejected = Assert.Single(result.GetProperty("rejected").EnumerateArray());
        Assert.Equal(4, rejected.GetProperty("line").GetInt32());
        Assert.StartsWith("phone: '12'", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The bulk-inserted contact and its channels are, column for column, what the EF create stored.
        var efContact = await RawAsync(app, "SELECT * FROM contacts WHERE external_id = 'ef-new'", "id", "external_id");
        var bulkContact = await RawAsync(app, "SELECT * FROM contacts WHERE external_id = 'imp-new'", "id", "external_id");
        Assert.Equal(Assert.Single(efContact), Assert.Single(bulkContact));
        Assert.Equal(await RawChannelsAsync(app, "ef-new"), await RawChannelsAsync(app, "imp-new"));

        // The existing contact went through the EF upsert: names overwritten, tag and e-mail added as its primary.
        var old = Assert.Single(await RawAsync(app, "SELECT * FROM contacts WHERE external_id = 'old-1'"));
        Assert.EndsWith(":Bo", old["first_name"], StringComparison.Ordinal);
        Assert.Contains("vip", old["tags"], StringComparison.Ordinal);
        Assert.Equal(["email:bo@example.com:primary", "sms:+14155550102:primary"], await ChannelsAsync(ws, "old-1"));
        // The id repeated within the file: one contact, the second row merged into the first.
        Assert.Equal(["email:di@example.com:primary", "sms:+14155550103:primary"], await ChannelsAsync(ws, "imp-dup"));
        var dup = Assert.Single(await RawAsync(app, "SELECT * FROM contacts WHERE external_id = 'imp-dup'"));
        Assert.EndsWith(":Di", dup["first_name"], StringComparison.Ordinal);
        Assert.EndsWith(":Dee", dup["last_name"], StringComparison.Ordinal);
        Assert.Single(await RawAsync(app, "SELECT * FROM contacts WHERE first_name = 'Ed' AND external_id IS NULL"));

        // A re-import updates by external id instead of duplicating (the row without one is inserted again).
        var again = await (await ImportAsync(ws, MixedCsv)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, again.GetProperty("created").GetInt32());
        Assert.Equal(4, again.GetProperty("updated").GetInt32());
        Assert.Equal(6, (await RawAsync(app, "SELECT * FROM contacts")).Count);
        Assert.Equal(await RawChannelsAsync(app, "ef-new"), await RawChannelsAsync(app, "imp-new"));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Concurrent_imports_of_the_same_new_ids_create_each_contact_once(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var csv = new StringBuilder("id,phone,tags\n");
        for (var i = 0; i < 300; i++) csv.Append(CultureInfo.InvariantCulture, $"race-{i},+1415555{i:0000},t{i % 3}\n");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ImportAsync(ws, csv.ToString())));
        var results = new List<(int Created, int Updated)>();
        foreach (var response in responses)
        {
            var json = await response.ReadJsonAsync(HttpStatusCode.OK);
            results.Add((json.GetProperty("created").GetInt32(), json.GetProperty("updated").GetInt32()));
        }
        Assert.Equal(300, results.Sum(r => r.Created));
        Assert.Equal(900, results.Sum(r => r.Updated));
        Assert.Equal(300, (await RawAsync(app, "SELECT * FROM contacts")).Count);
        Assert.Equal(300, (await RawAsync(app, "SELECT * FROM contact_channels")).Count);
    }

    static async Task CreateAsync(WorkspaceClient ws, object body)
    {
        var response = await ws.Http.PostAsJsonAsync("/api/v1/contacts", body, Ct);
        await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    static async Task<List<string>> ChannelsAsync(WorkspaceClient ws, string externalId)
    {
        var items = (await ws.GetJsonAsync("/api/v1/contacts?limit=500")).GetProperty("items").EnumerateArray();
        var contact = items.Single(c => c.GetProperty("externalId").GetString() == externalId);
        return [.. contact.GetProperty("channels").EnumerateArray()
            .Select(c => $"{c.GetProperty("kind").GetString()}:{c.GetProperty("value").GetString()}:{(c.GetProperty("isPrimary").GetBoolean() ? "primary" : "other")}")
            .Order(StringComparer.Ordinal)];
    }

    static async Task<List<SortedDictionary<string, string>>> RawChannelsAsync(TouchpointApp app, string externalId) =>
        await RawAsync(app, $"""
            SELECT ch.* FROM contact_channels ch JOIN contacts c ON c.workspace_id = ch.workspace_id AND c.id = ch.contact_id
            WHERE c.external_id = '{externalId}' ORDER BY ch.kind
            """, "id", "contact_id");

    /// <summary>Rows as stored: column → "provider CLR type:value" (so a Guid stored as a BLOB instead of text differs).</summary>
    static Task<List<SortedDictionary<string, string>>> RawAsync(TouchpointApp app, string sql, params string[] ignored) =>
        app.DbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(Ct);
            var rows = new List<SortedDictionary<string, string>>();
            while (await reader.ReadAsync(Ct))
            {
                var row = new SortedDictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (ignored.Contains(reader.GetName(i))) continue;
                    var value = reader.GetValue(i);
                    row[reader.GetName(i)] = value switch
                    {
                        DBNull => "null",
                        Array a => $"{value.GetType().Name}:{string.Join("|", a.Cast<object>())}",
                        DateTime t => $"DateTime:{t.ToString("O", CultureInfo.InvariantCulture)}",
                        _ => $"{value.GetType().Name}:{Convert.ToString(value, CultureInfo.InvariantCulture)}",
                    };
                }
                rows.Add(row);
            }
            return rows;
        });
}
