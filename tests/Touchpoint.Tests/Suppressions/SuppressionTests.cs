using System.Net;
using System.Net.Http.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Suppressions;

public sealed class SuppressionTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Removing_an_opt_out_needs_a_newer_opt_in(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var id = await ws.CreateContactAsync(phone: "+14155550123");
        await (await ws.PutConsentAsync(id, "sms", "opt_in")).ReadJsonAsync(HttpStatusCode.OK);
        await Task.Delay(5, Ct);

        // Suppressed by address, in national format: the workspace region (US) makes it E.164.
        var added = await (await ws.Http.PostAsJsonAsync("/api/v1/suppressions",
            new { value = "(415) 555-0123", reason = "opted_out", note = "STOP" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("+14155550123", added.GetProperty("value").GetString());
        var suppressionId = added.GetProperty("id").GetGuid();

        var refused = await ws.Http.DeleteAsync($"/api/v1/suppressions/{suppressionId}", Ct);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Contains("opt_in", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await Task.Delay(5, Ct);
        await (await ws.PutConsentAsync(id, "sms", "opt_in", source: "keyword")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await ws.Http.DeleteAsync($"/api/v1/suppressions/{suppressionId}", Ct)).StatusCode);

        var active = await ws.GetJsonAsync("/api/v1/suppressions");
        Assert.Equal(0, active.GetProperty("items").GetArrayLength());
        var all = await ws.GetJsonAsync("/api/v1/suppressions?includeRemoved=true");
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, Assert.Single(all.GetProperty("items").EnumerateArray()).GetProperty("removedAt").ValueKind);

        var events = (await ws.GetJsonAsync($"/api/v1/contacts/{id}/timeline")).GetProperty("items").EnumerateArray()
            .Select(e => e.GetProperty("eventType").GetString()).ToList();
        Assert.Contains("SUPPRESSION_ADDED", events);
        Assert.Equal("SUPPRESSION_REMOVED", events[0]);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_contact_suppression_is_listed_by_contact_and_other_reasons_delete_freely(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var id = await ws.CreateContactAsync(email: "Ana@Example.com");
        var complaint = await (await ws.Http.PostAsJsonAsync("/api/v1/suppressions",
            new { contactId = id, reason = "complaint" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        await (await ws.Http.PostAsJsonAsync("/api/v1/suppressions",
            new { value = "ANA@example.com", reason = "bounced", channel = "email" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);

        var forContact = await ws.GetJsonAsync($"/api/v1/suppressions?contactId={id}");
        Assert.Equal(2, forContact.GetProperty("items").GetArrayLength());
        var bounced = await ws.GetJsonAsync("/api/v1/suppressions?reason=bounced&value=ana@EXAMPLE.com");
        Assert.Equal("ana@example.com", Assert.Single(bounced.GetProperty("items").EnumerateArray()).GetProperty("value").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await ws.Http.DeleteAsync($"/api/v1/suppressions/{complaint.GetProperty("id")}", Ct)).StatusCode);
        Assert.Single((await ws.GetJsonAsync($"/api/v1/suppressions?contactId={id}")).GetProperty("items").EnumerateArray());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Invalid_suppressions_name_the_field_and_other_workspaces_rows_are_404(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var other = await app.NewWorkspaceAsync();

        var both = await ws.Http.PostAsJsonAsync("/api/v1/suppressions",
            new { contactId = Guid.CreateVersion7(), value = "a@b.co", reason = "sometimes" }, Ct);
        var problem = await ProblemAssert.IsProblemAsync(both, HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "contactId");
        ProblemAssert.NamesField(problem, "reason");
        var badPhone = await ws.Http.PostAsJsonAsync("/api/v1/suppressions", new { value = "12", reason = "dnc" }, Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(badPhone, HttpStatusCode.BadRequest), "value");

        var foreignContact = await other.CreateContactAsync(phone: "+14155550199");
        var cross = await ws.Http.PostAsJsonAsync("/api/v1/suppressions", new { contactId = foreignContact, reason = "manual" }, Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(cross, HttpStatusCode.BadRequest), "contactId");

        var theirs = await (await other.Http.PostAsJsonAsync("/api/v1/suppressions",
            new { contactId = foreignContact, reason = "manual" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await ws.Http.DeleteAsync($"/api/v1/suppressions/{theirs.GetProperty("id")}", Ct), HttpStatusCode.NotFound);
        Assert.Equal(0, (await ws.GetJsonAsync("/api/v1/suppressions")).GetProperty("items").GetArrayLength());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Attestations_validate_channels_and_expiry_and_are_listed(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: "2026-03-09T14:00:00Z");
        var ws = await app.NewWorkspaceAsync();
        var bad = await ws.Http.PostAsJsonAsync("/api/v1/attestations",
            new { channels = new[] { "rvm", "fax" }, consentBasis = "", attestedBy = "ops@example.com", expiresAt = "2026-03-01T00:00:00Z" }, Ct);
        var problem = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "channels[1]");
        ProblemAssert.NamesField(problem, "consentBasis");
        ProblemAssert.NamesField(problem, "expiresAt");

        var created = await (await ws.Http.PostAsJsonAsync("/api/v1/attestations",
            new { channels = new[] { "RVM", "call" }, consentBasis = "Written consent on signup form v3", attestedBy = "ops@example.com",
                  expiresAt = "2026-06-01T00:00:00-04:00" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["rvm", "call"], created.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 4, 0, 0, TimeSpan.Zero), created.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Single((await ws.GetJsonAsync("/api/v1/attestations")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, (await (await app.NewWorkspaceAsync()).GetJsonAsync("/api/v1/attestations")).GetProperty("items").GetArrayLength());
    }
}
