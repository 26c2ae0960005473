using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Crm;

/// <summary>Black-box calls the CRM tests share: boards, inbound replies through the sandbox, conversations.</summary>
public static class CrmTestKit
{
    // Tuesday 2026-03-10 18:00 UTC = 11:00 in Los Angeles (the 415 number's zone): inside every window.
    public const string Midday = "2026-03-10T18:00:00Z";
    public const string CaliforniaPhone = "+14155550123";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<JsonElement> CreateBoardAsync(this WorkspaceClient ws, params object[] columns) =>
        await (await ws.Http.PostAsJsonAsync("/api/v1/boards", new { name = "Sales", columns }, Ct)).ReadJsonAsync(HttpStatusCode.Created);

    public static Guid ColumnId(this JsonElement board, string name) =>
        board.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    public static async Task<Guid> OptedInContactAsync(this WorkspaceClient ws, string phone = CaliforniaPhone)
    {
        var contact = await ws.CreateContactAsync(phone: phone);
        (await ws.PutConsentAsync(contact, "sms", "opt_in")).EnsureSuccessStatusCode();
        return contact;
    }

    public static async Task InboundAsync(this WorkspaceClient ws, string body, string from = CaliforniaPhone, string channel = "sms") =>
        (await ws.Http.PostAsJsonAsync("/api/v1/sandbox/inbound", new { channel, from, body }, Ct)).EnsureSuccessStatusCode();

    public static async Task AdvanceAsync(this TouchpointApp app, int minutes = 1) =>
        (await app.Admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { minutes }, Ct)).EnsureSuccessStatusCode();

    public static async Task<JsonElement> ConversationOfAsync(this WorkspaceClient ws, Guid contactId)
    {
        var list = await ws.GetJsonAsync("/api/v1/conversations");
        var card = list.GetProperty("conversations").EnumerateArray().Single(c => c.GetProperty("contactId").GetGuid() == contactId);
        return await ws.GetJsonAsync($"/api/v1/conversations/{card.GetProperty("id").GetGuid()}");
    }

    public static Guid Id(this JsonElement view) => view.GetProperty("conversation").GetProperty("id").GetGuid();

    public static List<JsonElement> Messages(this JsonElement view, string role) =>
        [.. view.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == role)];

    public static async Task<List<JsonElement>> OutboxAsync(this WorkspaceClient ws, Guid contactId) =>
        [.. (await ws.GetJsonAsync($"/api/v1/sandbox/outbox?contactId={contactId}")).EnumerateArray()];

    public static object Column(string name, string mode, object? config = null) => new { name, mode, config = config ?? new { } };
}
