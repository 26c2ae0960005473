using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Campaigns;

public sealed class CampaignApiTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static object Plan(string smsTemplate = "Hi {{ contact.first_name }}") => new
    {
        name = "Spring follow-up",
        policy = new { quietHours = new { start = "21:00", end = "08:00" }, maxTouchesPerDay = 2, maxTouchesPerWeek = 5, allowedChannels = new[] { "sms", "whatsapp", "email" }, preset = "BALANCED" },
        steps = new object[]
        {
            new { channel = "sms", template = smsTemplate, delayMinutes = 0, fallback = new { order = new[] { "sms", "whatsapp" }, maxAttempts = 2, cooldownMinutes = 60 }, stopOnEvents = new[] { "replied" }, expiresAfterMinutes = 1440 },
            new { channel = "email", template = "Following up", delayMinutes = 1440 },
        },
    };

    static async Task<Guid> ContactAsync(WorkspaceClient ws, string phone)
    {
        var r = await ws.Http.PostAsJsonAsync("/api/v1/contacts", new { channels = new[] { new { kind = "sms", value = phone } } }, Ct);
        return (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Plan_edits_create_versions_and_running_enrollments_keep_theirs(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var created = await ws.Http.PostAsJsonAsync("/api/v1/campaigns", Plan(), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var v1 = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = v1.GetProperty("id").GetGuid();
        Assert.Equal("draft", v1.GetProperty("status").GetString());
        Assert.Equal(1, v1.GetProperty("planVersion").GetInt32());
        var hash1 = v1.GetProperty("planHash").GetString();

        var first = await ContactAsync(ws, "+14155550131");
        var enroll = await ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{id}/enrollments", new { contactIds = new[] { first } }, Ct);
        Assert.Equal(1, (await enroll.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("enrolled").GetInt32());

        var same = await (await ws.Http.PutAsJsonAsync($"/api/v1/campaigns/{id}", Plan(), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, same.GetProperty("planVersion").GetInt32());
        Assert.Equal(hash1, same.GetProperty("planHash").GetString());

        var changed = await (await ws.Http.PutAsJsonAsync($"/api/v1/campaigns/{id}", Plan("Hello again"), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, changed.GetProperty("planVersion").GetInt32());
        Assert.NotEqual(hash1, changed.GetProperty("planHash").GetString());

        var second = await ContactAsync(ws, "+14155550132");
        var again = await (await ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{id}/enrollments", new { contactIds = new[] { first, second } }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, again.GetProperty("enrolled").GetInt32());
        Assert.Equal(1, again.GetProperty("alreadyEnrolled").GetInt32());

        var list = await ws.Http.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}/enrollments?state=NEW", Ct);
        var versions = list.EnumerateArray().ToDictionary(e => e.GetProperty("contactId").GetGuid(), e => e.GetProperty("planVersion").GetInt32());
        Assert.Equal(1, versions[first]);
        Assert.Equal(2, versions[second]);
    }

    [Fact]
    public async Task Suppressed_and_unknown_contacts_are_rejected_with_a_reason()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        var id = (await (await ws.Http.PostAsJsonAsync("/api/v1/campaigns", Plan(), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var ok = await ContactAsync(ws, "+14155550133");
        var blocked = await ContactAsync(ws, "+14155550134");
        await using (var db = TouchpointDbOptions.Create(app.Provider, app.ConnectionString))
        {
            db.Suppressions.Add(new Suppression { WorkspaceId = ws.Id, ContactId = blocked, Reason = SuppressionReason.Dnc });
            await db.SaveChangesAsync(Ct);
        }
        var unknown = Guid.NewGuid();
        var result = await (await ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{id}/enrollments", new { contactIds = new[] { ok, blocked, unknown } }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, result.GetProperty("enrolled").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("contactId").GetGuid(), r => r.GetProperty("reason").GetString());
        Assert.Equal("suppressed:dnc", rejected[blocked]);
        Assert.Equal("contact_not_found", rejected[unknown]);
    }

    [Fact]
    public async Task Illegal_status_transitions_are_409_and_legal_ones_move_the_campaign()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        var id = (await (await ws.Http.PostAsJsonAsync("/api/v1/campaigns", Plan(), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsync($"/api/v1/campaigns/{id}/pause", null, Ct), HttpStatusCode.Conflict);
        foreach (var (command, status) in new[] { ("activate", "active"), ("pause", "paused"), ("resume", "active"), ("complete", "completed") })
        {
            var r = await ws.Http.PostAsync($"/api/v1/campaigns/{id}/{command}", null, Ct);
            Assert.Equal(status, (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        }
        await ProblemAssert.IsProblemAsync(await ws.Http.PostAsync($"/api/v1/campaigns/{id}/activate", null, Ct), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_invalid_plan_is_400_naming_the_step_field()
    {
        await using var app = await TouchpointApp.StartAsync(Store.Sqlite, pg);
        var ws = await app.NewWorkspaceAsync();
        var body = new
        {
            name = "x",
            policy = new { allowedChannels = new[] { "sms" }, preset = "GENTLE" },
            steps = new object[] { new { channel = "sms", template = "hi", fallback = new { order = new[] { "sms" }, maxAttempts = 0, cooldownMinutes = 5 } } },
        };
        var problem = await ProblemAssert.IsProblemAsync(await ws.Http.PostAsJsonAsync("/api/v1/campaigns", body, Ct), HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "steps[0].fallback.maxAttempts");
    }
}
