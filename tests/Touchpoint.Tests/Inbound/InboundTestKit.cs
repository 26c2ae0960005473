using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;

namespace Touchpoint.Tests.Inbound;

/// <summary>A host on a manual clock (so dispatch runs when the test advances it) that also verifies webhooks.</summary>
static class InboundTestKit
{
    // Tuesday 2026-03-10 18:00 UTC = 11:00 in Los Angeles (the 415 number's zone): inside every window.
    public const string Midday = "2026-03-10T18:00:00Z";
    public const string Phone = "+14155550123";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<TouchpointApp> StartAsync(Store store, PostgresCluster pg, string clockAt = Midday) =>
        TouchpointApp.StartAsync(store, pg, clockAt: clockAt,
            settings: new Dictionary<string, string> { ["Touchpoint:PublicBaseUrl"] = WebhookTestKit.PublicBaseUrl });

    /// <summary>
    /// Twilio's webhook secret on a row of a channel the tests do not send on: a provider row for sms would route
    /// the confirmations to Twilio, and these tests read them from the sandbox outbox.
    /// </summary>
    public static Task ConfigureTwilioSecretAsync(this TouchpointApp app, Guid workspaceId) =>
        app.DbAsync(db =>
        {
            db.ProviderSettings.Add(new ProviderSetting
            {
                WorkspaceId = workspaceId, Channel = Channel.Voicemail, Provider = "twilio",
                SettingsJson = JsonSerializer.Serialize(new { authToken = WebhookTestKit.TwilioToken }),
            });
            return db.SaveChangesAsync();
        });

    public static async Task<Guid> OptedInContactAsync(WorkspaceClient ws, string phone = Phone)
    {
        var contact = await ws.CreateContactAsync(phone: phone);
        (await ws.PutConsentAsync(contact, "sms", "opt_in")).EnsureSuccessStatusCode();
        return contact;
    }

    /// <summary>An active campaign with one SMS step (and an email step) and the contact enrolled.</summary>
    public static async Task<Guid> EnrolledInActiveCampaignAsync(WorkspaceClient ws, Guid contact)
    {
        var plan = new
        {
            name = "Spring follow-up",
            policy = new { quietHours = new { start = "21:00", end = "08:00" }, maxTouchesPerDay = 2, maxTouchesPerWeek = 5, allowedChannels = new[] { "sms", "whatsapp", "email" }, preset = "BALANCED" },
            steps = new object[]
            {
                new { channel = "sms", template = "Hi {{ contact.first_name }}", delayMinutes = 0, fallback = new { order = new[] { "sms", "whatsapp" }, maxAttempts = 2, cooldownMinutes = 60 }, stopOnEvents = new[] { "replied" }, expiresAfterMinutes = 1440 },
                new { channel = "email", template = "Following up", delayMinutes = 1440 },
            },
        };
        var campaign = (await (await ws.Http.PostAsJsonAsync("/api/v1/campaigns", plan, Ct)).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        (await ws.Http.PostAsync($"/api/v1/campaigns/{campaign}/activate", null, Ct)).EnsureSuccessStatusCode();
        var enrolled = await (await ws.Http.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/enrollments", new { contactIds = new[] { contact } }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, enrolled.GetProperty("enrolled").GetInt32());
        return campaign;
    }

    public static async Task<string> EnrollmentStateAsync(WorkspaceClient ws, Guid campaign, Guid contact) =>
        (await ws.GetJsonAsync($"/api/v1/campaigns/{campaign}/enrollments")).EnumerateArray()
            .Single(e => e.GetProperty("contactId").GetGuid() == contact).GetProperty("state").GetString()!;

    public static async Task<List<JsonElement>> OutboxAsync(WorkspaceClient ws, Guid contact) =>
        [.. (await ws.GetJsonAsync($"/api/v1/sandbox/outbox?contactId={contact}")).EnumerateArray()];

    public static async Task<List<JsonElement>> SuppressionsAsync(WorkspaceClient ws, Guid contact) =>
        [.. (await ws.GetJsonAsync($"/api/v1/suppressions?contactId={contact}")).GetProperty("items").EnumerateArray()];

    public static async Task<List<JsonElement>> ConsentHistoryAsync(WorkspaceClient ws, Guid contact, string channel) =>
        [.. (await ws.GetJsonAsync($"/api/v1/contacts/{contact}/consents/{channel}/history")).GetProperty("items").EnumerateArray()];

    public static async Task SandboxInboundAsync(WorkspaceClient ws, string body, string from = Phone, string channel = "sms") =>
        (await ws.Http.PostAsJsonAsync("/api/v1/sandbox/inbound", new { channel, from, body }, Ct)).EnsureSuccessStatusCode();

    public static async Task AdvanceAsync(TouchpointApp app, int minutes) =>
        (await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes }, Ct)).EnsureSuccessStatusCode();

    public static Task<HttpResponseMessage> SendSmsAsync(WorkspaceClient ws, Guid contact, string body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = JsonContent.Create(new { contactId = contact, channel = "sms", body }) };
        request.Headers.Add("Idempotency-Key", key);
        return ws.Http.SendAsync(request, Ct);
    }
}
