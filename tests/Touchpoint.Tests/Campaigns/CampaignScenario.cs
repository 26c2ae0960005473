using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Campaigns;

/// <summary>Black-box calls the campaign orchestration tests share: contacts with consent, campaigns, clock, outbox.</summary>
public static class CampaignScenario
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A 3-step SMS → WhatsApp → email plan: quiet 21:00–08:00, one day between steps.</summary>
    public static object ThreeStepPlan(string name = "Three steps", string firstText = "Hi {{ contact.firstName }}, step one") => new
    {
        name,
        policy = new
        {
            quietHours = new { start = "21:00", end = "08:00" }, maxTouchesPerDay = 3, maxTouchesPerWeek = 10,
            allowedChannels = new[] { "sms", "whatsapp", "email" }, preset = "BALANCED",
        },
        steps = new object[]
        {
            new { channel = "sms", template = firstText, delayMinutes = 0, fallback = new { order = new[] { "sms", "whatsapp" }, maxAttempts = 1, cooldownMinutes = 30 } },
            new { channel = "whatsapp", template = "Step two for {{ contact.firstName }}", delayMinutes = 1440 },
            new { channel = "email", template = "Step three for {{ contact.firstName }}", delayMinutes = 1440 },
        },
    };

    public static async Task<Guid> CreateCampaignAsync(this WorkspaceClient ws, object plan, bool activate = true)
    {
        var created = await (await ws.Http.PostAsJsonAsync("/api/v1/campaigns", plan, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        if (activate) await ws.CampaignCommandAsync(id, "activate");
        return id;
    }

    public static async Task CampaignCommandAsync(this WorkspaceClient ws, Guid campaign, string command) =>
        await (await ws.Http.PostAsync($"/api/v1/campaigns/{campaign}/{command}", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    public static async Task<JsonElement> EnrollAsync(this WorkspaceClient ws, Guid campaign, params Guid[] contacts) =>
        await (await ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/enrollments", new { contactIds = contacts }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>A contact in <paramref name="timezone"/> with consent (opt_in) on every channel it has an address for.</summary>
    public static async Task<Guid> ReachableContactAsync(this WorkspaceClient ws, string name, string phone, string timezone, string? email)
    {
        var channels = new List<object> { new { kind = "sms", value = phone } };
        if (email is not null) channels.Add(new { kind = "email", value = email });
        var contact = (await (await ws.Http.PostAsJsonAsync("/api/v1/contacts", new { firstName = name, timezone, channels }, Ct))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        foreach (var channel in email is null ? new[] { "sms", "whatsapp" } : ["sms", "whatsapp", "email"])
            (await ws.PutConsentAsync(contact, channel, "opt_in")).EnsureSuccessStatusCode();
        return contact;
    }

    public static async Task AdvanceAsync(this TouchpointApp app, int minutes) =>
        (await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes }, Ct)).EnsureSuccessStatusCode();

    public static async Task<List<OutboxItem>> OutboxAsync(this WorkspaceClient ws, Guid? contact = null) =>
        [.. (await ws.GetJsonAsync(contact is { } c ? $"/api/v1/sandbox/outbox?contactId={c}" : "/api/v1/sandbox/outbox"))
            .EnumerateArray().Select(o => new OutboxItem(o.GetProperty("messageId").GetGuid(), o.GetProperty("contactId").GetGuid(),
                o.GetProperty("stepIndex").ValueKind == JsonValueKind.Number ? o.GetProperty("stepIndex").GetInt32() : null,
                o.GetProperty("channel").GetString()!, o.GetProperty("sentAt").GetDateTimeOffset(), o.GetProperty("body").GetString()!))
            .OrderBy(o => o.SentAt)];

    public static async Task<Dictionary<Guid, JsonElement>> EnrollmentsAsync(this WorkspaceClient ws, Guid campaign) =>
        (await ws.GetJsonAsync($"/api/v1/campaigns/{campaign}/enrollments")).EnumerateArray()
            .ToDictionary(e => e.GetProperty("contactId").GetGuid(), e => e);

    public static async Task DeliveryEventAsync(this WorkspaceClient ws, Guid messageId, string status, string? errorCode) =>
        await (await ws.Http.PostAsJsonAsync("/api/v1/sandbox/events", new { messageId, status, errorCode }, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    public static async Task ReplyAsync(this WorkspaceClient ws, string channel, string from, string body) =>
        await (await ws.Http.PostAsJsonAsync("/api/v1/sandbox/inbound", new { channel, from, body }, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    public static LocalTime LocalTimeIn(DateTimeOffset at, string timezone) =>
        Instant.FromDateTimeOffset(at).InZone(DateTimeZoneProviders.Tzdb[timezone]).TimeOfDay;
}

public sealed record OutboxItem(Guid MessageId, Guid ContactId, int? StepIndex, string Channel, DateTimeOffset SentAt, string Body);
