using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;
using static Touchpoint.Tests.Inbound.InboundTestKit;

namespace Touchpoint.Tests.Inbound;

/// <summary>STOP / START / HELP and plain replies, end to end through the webhook pipeline (issue #7 §4–5).</summary>
public sealed class KeywordEffectsTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_signed_Stop_from_a_contact_in_an_active_campaign_opts_out_stops_confirms_once_and_blocks_the_next_send(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureTwilioSecretAsync(ws.Id);
        var contact = await OptedInContactAsync(ws);
        var campaign = await EnrolledInActiveCampaignAsync(ws, contact);
        var stop = WebhookTestKit.TwilioInbound("SM00stop", Phone, "Stop");

        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(WebhookTestKit.TwilioPost(ws.Id, stop), Ct)).StatusCode);
        await AdvanceAsync(app, 1);

        var consent = (await ConsentHistoryAsync(ws, contact, "sms"))[0];
        Assert.Equal(("opt_out", "keyword"), (consent.GetProperty("status").GetString(), consent.GetProperty("source").GetString()));
        Assert.Equal("Stop", consent.GetProperty("evidence").GetProperty("body").GetString());
        var suppression = Assert.Single(await SuppressionsAsync(ws, contact));
        Assert.Equal(("opted_out", Phone), (suppression.GetProperty("reason").GetString(), suppression.GetProperty("value").GetString()));
        Assert.Equal("STOPPED", await EnrollmentStateAsync(ws, campaign, contact));
        var transitions = await app.DbAsync(db => db.CampaignTransitions.CountAsync(t => t.ContactId == contact, Ct));

        var confirmation = Assert.Single(await OutboxAsync(ws, contact));
        Assert.StartsWith("You are unsubscribed", confirmation.GetProperty("body").GetString());
        var sent = await ws.GetJsonAsync($"/api/v1/messages/{confirmation.GetProperty("messageId").GetGuid()}");
        Assert.Equal("opt_out_confirmation", sent.GetProperty("purpose").GetString());
        Assert.Equal("allowed_opt_out_confirmation", sent.GetProperty("decision").GetProperty("reasonCode").GetString());
        Assert.Contains(sent.GetProperty("decision").GetProperty("ruleTrace").EnumerateArray(),
            r => r.GetProperty("rule").GetString() == "suppression" && r.GetProperty("verdict").GetString() == "bypassed");

        // The next step (driven here as a direct send): nothing goes out and the decision says why.
        var next = await (await SendSmsAsync(ws, contact, "Still interested?", "next-step")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("denied", next.GetProperty("status").GetString());
        Assert.Equal("suppressed", next.GetProperty("decision").GetProperty("reasonCode").GetString());
        Assert.Equal(1, await app.DbAsync(db => db.PolicyDecisions.CountAsync(d => d.ContactId == contact && d.ReasonCode == "suppressed", Ct)));

        // Replaying the very same webhook changes nothing.
        var replay = await app.Anonymous.SendAsync(WebhookTestKit.TwilioPost(ws.Id, stop), Ct);
        Assert.Equal(WebhookOutcome.Duplicate, (await app.DeliveryAsync(WebhookTestKit.DeliveryId(replay))).Outcome);
        await AdvanceAsync(app, 1);
        Assert.Single(await OutboxAsync(ws, contact));
        Assert.Single(await ConsentHistoryAsync(ws, contact, "sms"), c => c.GetProperty("status").GetString() == "opt_out");
        Assert.Single(await SuppressionsAsync(ws, contact));
        Assert.Equal(transitions, await app.DbAsync(db => db.CampaignTransitions.CountAsync(t => t.ContactId == contact, Ct)));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Start_after_Stop_opts_back_in_lifts_the_opt_out_suppression_and_confirms(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);

        await SandboxInboundAsync(ws, "STOP");
        await AdvanceAsync(app, 5);
        await SandboxInboundAsync(ws, "start");
        await AdvanceAsync(app, 1);

        Assert.Equal("opt_in", (await ConsentHistoryAsync(ws, contact, "sms"))[0].GetProperty("status").GetString());
        Assert.Empty(await SuppressionsAsync(ws, contact));
        var bodies = (await OutboxAsync(ws, contact)).Select(o => o.GetProperty("body").GetString()).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.Contains(bodies, b => b!.StartsWith("You are subscribed again", StringComparison.Ordinal));
        var next = await (await SendSmsAsync(ws, contact, "Welcome back", "after-start")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", next.GetProperty("status").GetString());
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Help_is_answered_with_the_workspace_help_text_and_changes_no_consent(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var settings = await (await ws.Http.PatchAsJsonAsync("/api/v1/workspace",
            new { helpText = "Acme Dental: call 555-0100. Reply STOP to opt out.", optOutConfirmation = "Acme: you're out." }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Acme: you're out.", settings.GetProperty("optOutConfirmation").GetString());
        var contact = await OptedInContactAsync(ws);

        await SandboxInboundAsync(ws, " ayuda ");
        await AdvanceAsync(app, 1);

        var reply = Assert.Single(await OutboxAsync(ws, contact));
        Assert.Equal("Acme Dental: call 555-0100. Reply STOP to opt out.", reply.GetProperty("body").GetString());
        Assert.Single(await ConsentHistoryAsync(ws, contact, "sms"));

        await SandboxInboundAsync(ws, "Stop!");
        await AdvanceAsync(app, 1);
        Assert.Contains(await OutboxAsync(ws, contact), o => o.GetProperty("body").GetString() == "Acme: you're out.");
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Any_other_reply_engages_the_enrollment_and_lands_on_the_timeline(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var contact = await OptedInContactAsync(ws);
        var campaign = await EnrolledInActiveCampaignAsync(ws, contact);

        await SandboxInboundAsync(ws, "Sounds good, what times do you have on Friday?");

        Assert.Equal("ENGAGED", await EnrollmentStateAsync(ws, campaign, contact));
        var timeline = (await ws.GetJsonAsync($"/api/v1/contacts/{contact}/timeline")).ToString();
        Assert.Contains("MESSAGE_RECEIVED", timeline, StringComparison.Ordinal);
        Assert.Contains("ENROLLMENT_ENGAGED", timeline, StringComparison.Ordinal);
        Assert.Empty(await OutboxAsync(ws, contact));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task An_unknown_sender_becomes_a_contact_only_while_the_workspace_switch_is_on(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();

        await SandboxInboundAsync(ws, "hi, who is this?", from: "(415) 555-0177");
        var created = await app.DbAsync(db => db.InboundMessages.AsNoTracking().SingleAsync(m => m.WorkspaceId == ws.Id, Ct));
        Assert.NotNull(created.ContactId);
        var contact = await ws.GetJsonAsync($"/api/v1/contacts/{created.ContactId}");
        var channel = Assert.Single(contact.GetProperty("channels").EnumerateArray());
        Assert.Equal(("sms", "+14155550177"), (channel.GetProperty("kind").GetString(), channel.GetProperty("value").GetString()));

        var off = await (await ws.Http.PatchAsJsonAsync("/api/v1/workspace", new { createContactsFromUnknownSenders = false }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(off.GetProperty("createContactsFromUnknownSenders").GetBoolean());
        await SandboxInboundAsync(ws, "STOP", from: "+14155550178");

        var orphan = await app.DbAsync(db => db.InboundMessages.AsNoTracking().SingleAsync(m => m.WorkspaceId == ws.Id && m.FromAddress == "+14155550178", Ct));
        Assert.Null(orphan.ContactId);
        Assert.Equal(1, await app.DbAsync(db => db.Contacts.CountAsync(c => c.WorkspaceId == ws.Id, Ct)));
        // Nobody to answer, but the number that said STOP is still never texted.
        var suppressed = (await ws.GetJsonAsync("/api/v1/suppressions?value=%2B14155550178")).GetProperty("items");
        Assert.Equal("opted_out", Assert.Single(suppressed.EnumerateArray()).GetProperty("reason").GetString());
    }
}
