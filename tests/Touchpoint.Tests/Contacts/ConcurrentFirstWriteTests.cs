using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Contacts;

/// <summary>
/// First writes that race on a unique index (current consent per contact/channel, external id, provider per
/// channel): N requests at once must all get a 2xx/4xx answer, never a 500, and leave one consistent row.
/// </summary>
public sealed class ConcurrentFirstWriteTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    const int Concurrency = 12;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Concurrent_first_consent_writes_keep_every_record_and_one_current_state(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        for (var round = 0; round < 3; round++)
        {
            var contactId = await ws.CreateContactAsync(phone: $"+1415555{round:0000}");
            var responses = await Task.WhenAll(Enumerable.Range(0, Concurrency)
                .Select(i => ws.PutConsentAsync(contactId, "sms", i % 2 == 0 ? "opt_in" : "opt_out")));
            foreach (var response in responses)
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");

            var (current, records) = await app.DbAsync(async db => (
                await db.Consents.AsNoTracking().Where(c => c.ContactId == contactId && c.Channel == Channel.Sms).ToListAsync(Ct),
                await db.ConsentRecords.AsNoTracking().Where(r => r.ContactId == contactId).ToListAsync(Ct)));
            Assert.Equal(Concurrency, records.Count);
            var consent = Assert.Single(current);
            // The current state is the one of the record it points at.
            Assert.Equal(records.Single(r => r.Id == consent.LatestRecordId).Status, consent.Status);
            var history = await ws.GetJsonAsync($"/api/v1/contacts/{contactId}/consents/sms/history");
            Assert.Equal(Concurrency, history.GetProperty("items").GetArrayLength());
        }
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Concurrent_creates_with_one_new_external_id_create_one_contact_and_answer_409_to_the_rest(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        for (var round = 0; round < 3; round++)
        {
            var externalId = $"same-{round}";
            var responses = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(i => ws.Http.PostAsJsonAsync("/api/v1/contacts",
                new { externalId, firstName = $"N{i}", channels = new[] { new { kind = "sms", value = $"+1415556{i:0000}" } } }, Ct)));
            var codes = responses.Select(r => r.StatusCode).ToList();
            Assert.All(codes, c => Assert.True(c is HttpStatusCode.Created or HttpStatusCode.Conflict, $"unexpected {(int)c}"));
            Assert.Single(codes, HttpStatusCode.Created);
            foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
                await ProblemAssert.IsProblemAsync(conflict, HttpStatusCode.Conflict);

            var stored = await app.DbAsync(db => db.Contacts.AsNoTracking().Include(c => c.Channels)
                .Where(c => c.WorkspaceId == ws.Id && c.ExternalId == externalId).ToListAsync(Ct));
            Assert.Single(Assert.Single(stored).Channels);
        }
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Concurrent_first_provider_puts_all_succeed_and_leave_one_setting(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var froms = Enumerable.Range(0, Concurrency).Select(i => $"+1415557{i:0000}").ToList();
        var responses = await Task.WhenAll(froms.Select(from => ws.Http.PutAsJsonAsync("/api/v1/providers/sms", new
        {
            provider = "twilio",
            settings = new Dictionary<string, string>
            {
                ["accountSid"] = "AC0123456789abcdef0123456789abcdef", ["from"] = from, ["baseUrl"] = "https://twilio.test", ["authToken"] = "tok",
            },
        }, Ct)));
        foreach (var response in responses)
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");

        var rows = await app.DbAsync(db => db.ProviderSettings.AsNoTracking().Where(p => p.WorkspaceId == ws.Id).ToListAsync(Ct));
        var row = Assert.Single(rows);
        Assert.Equal(Channel.Sms, row.Channel);
        var view = await ws.GetJsonAsync("/api/v1/providers/sms");
        Assert.True(view.GetProperty("configured").GetBoolean());
        Assert.Contains(view.GetProperty("settings").GetProperty("from").GetString(), froms);
        Assert.Equal(["authToken"], view.GetProperty("secretsConfigured").EnumerateArray().Select(e => e.GetString()));
    }
}
