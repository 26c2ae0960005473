using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Features.Inbound;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;
using static Touchpoint.Tests.Inbound.InboundTestKit;

namespace Touchpoint.Tests.Inbound;

/// <summary>RFC 8058: List-Unsubscribe-Post one-click, the confirmation page, and forged tokens.</summary>
public sealed class OneClickUnsubscribeTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_one_click_post_unsubscribes_the_email_address_with_200_and_no_redirect(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await ws.CreateContactAsync(email: "Reader@Example.com");
        var path = await EmailUnsubscribePathAsync(app, ws, contact);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Address };

        var page = await noRedirects.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("name=\"List-Unsubscribe\" value=\"One-Click\"", html, StringComparison.Ordinal);
        Assert.Contains("reader@example.com", html, StringComparison.Ordinal);
        Assert.Empty(await SuppressionsAsync(ws, contact)); // a GET (link scanners) changes nothing

        var posted = await noRedirects.PostAsync(path, OneClick(), Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var again = await noRedirects.PostAsync(path, OneClick(), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var consent = Assert.Single(await ConsentHistoryAsync(ws, contact, "email"));
        Assert.Equal(("opt_out", "one_click_unsubscribe"), (consent.GetProperty("status").GetString(), consent.GetProperty("source").GetString()));
        var suppression = Assert.Single(await SuppressionsAsync(ws, contact));
        Assert.Equal(("opted_out", "reader@example.com"), (suppression.GetProperty("reason").GetString(), suppression.GetProperty("value").GetString()));
        var next = await ws.Http.PostAsJsonAsync("/api/v1/messages", new { contactId = contact, channel = "email", body = "Our news" }, Ct);
        Assert.Equal("denied", (await next.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("status").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_forged_token_is_404_and_a_post_without_the_one_click_field_is_400(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await ws.CreateContactAsync(email: "reader@example.com");
        var path = await EmailUnsubscribePathAsync(app, ws, contact);
        var token = path["/u/".Length..];
        var forged = "/u/" + token[..^4] + (token[^4] == 'A' ? 'B' : 'A') + token[^3..];

        await ProblemAssert.IsProblemAsync(await app.Anonymous.PostAsync(forged, OneClick(), Ct), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await app.Anonymous.GetAsync(forged, Ct), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await app.Anonymous.PostAsync("/u/not-a-token", OneClick(), Ct), HttpStatusCode.NotFound);
        var missing = await app.Anonymous.PostAsync(path, new FormUrlEncodedContent([new("unsubscribe", "yes")]), Ct);
        ProblemAssert.NamesField(await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.BadRequest), "List-Unsubscribe");
        Assert.Empty(await SuppressionsAsync(ws, contact));
    }

    static FormUrlEncodedContent OneClick() => new([new("List-Unsubscribe", "One-Click")]);

    /// <summary>Sends a real e-mail through the pipeline and returns the path of the link the dispatcher would put in its header.</summary>
    static async Task<string> EmailUnsubscribePathAsync(TouchpointApp app, WorkspaceClient ws, Guid contact)
    {
        var accepted = await (await ws.Http.PostAsJsonAsync("/api/v1/messages", new { contactId = contact, channel = "email", body = "Our news" }, Ct))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var id = accepted.GetProperty("id").GetGuid();
        var message = await app.DbAsync(db => db.OutboundMessages.AsNoTracking().SingleAsync(m => m.Id == id, Ct));
        var url = new Uri(app.Services.GetRequiredService<UnsubscribeLinks>().For(message));
        Assert.Equal(WebhookTestKit.PublicBaseUrl, url.GetLeftPart(UriPartial.Authority));
        return url.AbsolutePath;
    }
}
