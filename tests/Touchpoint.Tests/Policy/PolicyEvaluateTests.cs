using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Policy;

public sealed class PolicyEvaluateTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<Guid> CreateContactAsync(WorkspaceClient ws, string phone, string? timezone = null)
    {
        var response = await ws.Http.PostAsJsonAsync("/api/v1/contacts",
            new { firstName = "Ana", timezone, channels = new[] { new { kind = "sms", value = phone } } }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    static async Task SetConsentAsync(TouchpointApp app, WorkspaceClient ws, Guid contactId, ConsentStatus status)
    {
        await using var db = TouchpointDbOptions.Create(app.Provider, app.ConnectionString);
        var at = DateTimeOffset.Parse("2025-01-01T00:00:00Z");
        db.Consents.Add(new Touchpoint.Data.Entities.Consent { WorkspaceId = ws.Id, ContactId = contactId, Channel = Channel.Sms, Status = status, Source = "form", CapturedAt = at, CreatedAt = at, UpdatedAt = at });
        await db.SaveChangesAsync(Ct);
    }

    static async Task<JsonElement> EvaluateAsync(WorkspaceClient ws, Guid contactId, string channel = "sms", string? at = null)
    {
        var response = await ws.Http.PostAsJsonAsync("/api/v1/policy/evaluate", new { contactId, channel, at }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Opt_out_blocks_the_next_sms_with_a_full_trace(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await CreateContactAsync(ws, "+14155550123");
        await SetConsentAsync(app, ws, contact, ConsentStatus.OptOut);

        var d = await EvaluateAsync(ws, contact, at: "2025-06-10T18:00:00Z");
        Assert.False(d.GetProperty("allowSend").GetBoolean());
        Assert.Equal("consent_opt_out", d.GetProperty("reasonCode").GetString());
        var trace = d.GetProperty("ruleTrace").EnumerateArray().ToList();
        Assert.True(trace.Count >= 9, $"every rule is listed: {d}");
        Assert.Contains(trace, r => r.GetProperty("verdict").GetString() == "deny" && r.GetProperty("rule").GetString()!.Contains("consent", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, d.GetProperty("nextAllowedAt").ValueKind);
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_suppression_wins_over_an_opt_in(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await CreateContactAsync(ws, "+14155550124");
        await SetConsentAsync(app, ws, contact, ConsentStatus.OptIn);
        await using (var db = TouchpointDbOptions.Create(app.Provider, app.ConnectionString))
        {
            db.Suppressions.Add(new Suppression { WorkspaceId = ws.Id, Value = "+14155550124", Reason = SuppressionReason.Dnc });
            await db.SaveChangesAsync(Ct);
        }
        var d = await EvaluateAsync(ws, contact, at: "2025-06-10T18:00:00Z");
        Assert.False(d.GetProperty("allowSend").GetBoolean());
        Assert.Equal("suppressed", d.GetProperty("reasonCode").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Before_eight_in_the_recipients_zone_is_denied_with_the_next_allowed_instant(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync("America/New_York");
        var contact = await CreateContactAsync(ws, "+14155550125", "America/Los_Angeles");
        await SetConsentAsync(app, ws, contact, ConsentStatus.OptIn);

        // 2025-03-09 is the spring-forward day: 14:00Z is 07:00 PDT, an hour before the TCPA window opens.
        var early = await EvaluateAsync(ws, contact, at: "2025-03-09T14:00:00Z");
        Assert.False(early.GetProperty("allowSend").GetBoolean());
        Assert.Equal("America/Los_Angeles", early.GetProperty("recipientTimeZone").GetString());
        Assert.Equal(DateTimeOffset.Parse("2025-03-09T15:00:00Z"), early.GetProperty("nextAllowedAt").GetDateTimeOffset());

        var open = await EvaluateAsync(ws, contact, at: "2025-03-09T15:00:00Z");
        Assert.True(open.GetProperty("allowSend").GetBoolean(), open.ToString());
        Assert.Equal("allowed", open.GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task Evaluate_names_bad_fields_and_404s_an_unknown_contact()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        var bad = await ws.Http.PostAsJsonAsync("/api/v1/policy/evaluate", new { channel = "fax" }, Ct);
        var problem = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "channel");
        ProblemAssert.NamesField(problem, "contactId");
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsJsonAsync("/api/v1/policy/evaluate",
            new { contactId = Guid.NewGuid(), channel = "sms" }, Ct), HttpStatusCode.NotFound);
    }
}
