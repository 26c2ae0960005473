using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Commands;

/// <summary>Black-box calls the Command OS tests share.</summary>
public static class CommandRequests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<JsonElement> CommandAsync(this WorkspaceClient ws, string text) =>
        await (await ws.Http.PostAsJsonAsync("/api/v1/commands", new { text }, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    public static Task<HttpResponseMessage> ConfirmAsync(this WorkspaceClient ws, string token) =>
        ws.Http.PostAsJsonAsync("/api/v1/commands", new { confirm = token }, Ct);

    public static async Task<Guid> CampaignAsync(this WorkspaceClient ws, string name, bool activate = false)
    {
        var plan = new
        {
            name,
            policy = new { quietHours = new { start = "21:00", end = "08:00" }, maxTouchesPerDay = 2, maxTouchesPerWeek = 5, allowedChannels = new[] { "sms" }, preset = "BALANCED" },
            steps = new object[] { new { channel = "sms", template = "Hi", delayMinutes = 60 } },
        };
        var id = (await (await ws.Http.PostAsJsonAsync("/api/v1/campaigns", plan, Ct)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        if (activate) await (await ws.Http.PostAsync($"/api/v1/campaigns/{id}/activate", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        return id;
    }

    public static string Status(this JsonElement command) => command.GetProperty("status").GetString()!;
}
