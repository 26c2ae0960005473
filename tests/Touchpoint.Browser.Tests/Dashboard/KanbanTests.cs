using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Touchpoint.Browser.Tests.Dashboard;

/// <summary>The kanban board's drag and drop: a dropped card goes through the card's own Move form.</summary>
public sealed class KanbanTests(PostgresCluster pg, Chromium chromium)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_card_dragged_onto_another_column_is_moved_and_audited_like_the_form_does(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        (await ws.Http.PostAsJsonAsync("/api/v1/sandbox/inbound",
            new { channel = "sms", from = "+14155550177", body = "Can a person call me?" }, Ct)).EnsureSuccessStatusCode();
        var page = await chromium.NewPageAsync(app.Address);
        await DashboardSession.LogInAsync(page, ws.ApiKey);

        await page.GotoAsync("/kanban");
        var card = page.Locator(".kanban .column[data-column='New'] article.kcard");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card).ToContainTextAsync("+14155550177");
        var human = page.Locator(".kanban .column[data-column='Human']");
        var humanId = Guid.Parse((await human.GetAttributeAsync("data-column-id"))!);

        // Dropped on its own column nothing happens; dropped on another one it moves.
        await card.DragToAsync(page.Locator(".kanban .column[data-column='New'] h2"));
        await card.DragToAsync(human.Locator("h2"));
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Card moved.");
        await Expect(human.Locator("article.kcard")).ToContainTextAsync("+14155550177");
        await Expect(page.Locator(".kanban .column[data-column='New'] article.kcard")).ToHaveCountAsync(0);

        var conversations = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/conversations", Ct);
        Assert.Equal(humanId, conversations.GetProperty("conversations")[0].GetProperty("columnId").GetGuid());
        var audit = await ws.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit", Ct);
        Assert.Single(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "conversation.moved");
    }
}
