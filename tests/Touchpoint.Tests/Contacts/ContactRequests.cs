using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Contacts;

/// <summary>Small black-box calls the contact, consent and suppression tests share.</summary>
public static class ContactRequests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<Guid> CreateContactAsync(this WorkspaceClient ws, string? phone = null, string? email = null,
        string? externalId = null)
    {
        var channels = new List<object>();
        if (phone is not null) channels.Add(new { kind = "sms", value = phone });
        if (email is not null) channels.Add(new { kind = "email", value = email });
        var response = await ws.Http.PostAsJsonAsync("/api/v1/contacts", new { externalId, firstName = "Test", channels }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> PutConsentAsync(this WorkspaceClient ws, Guid contactId, string channel,
        string status, string source = "web_form") =>
        ws.Http.PutAsJsonAsync($"/api/v1/contacts/{contactId}/consents/{channel}",
            new { status, source, policyVersion = "2026-01", evidence = new { who = "the contact", how = "checkbox", ip = "203.0.113.7" } }, Ct);

    public static async Task<JsonElement> GetJsonAsync(this WorkspaceClient ws, string path)
    {
        var response = await ws.Http.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
