using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;
using Touchpoint.Tests.Webhooks;
using static Touchpoint.Tests.Inbound.InboundTestKit;

namespace Touchpoint.Tests.Inbound;

/// <summary>What providers tell us about people: Twilio 21610, SendGrid bounces, drops, spam reports, unsubscribes.</summary>
public sealed class ProviderOptOutTests(PostgresCluster pg)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Twilio_21610_on_a_status_callback_opts_the_address_out(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureTwilioSecretAsync(ws.Id);
        var contact = await OptedInContactAsync(ws);
        var campaign = await EnrolledInActiveCampaignAsync(ws, contact);
        var message = await InsertSentAsync(app, ws.Id, contact, Channel.Sms, "twilio", "SM21610", Phone);

        var status = WebhookTestKit.TwilioStatus("SM21610", "undelivered");
        status["ErrorCode"] = "21610";
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(WebhookTestKit.TwilioPost(ws.Id, status), Ct)).StatusCode);

        Assert.Equal(MessageStatus.Undelivered, await app.DbAsync(db => db.OutboundMessages.Where(m => m.Id == message).Select(m => m.Status).SingleAsync(Ct)));
        var consent = (await ConsentHistoryAsync(ws, contact, "sms"))[0];
        Assert.Equal(("opt_out", "provider_21610"), (consent.GetProperty("status").GetString(), consent.GetProperty("source").GetString()));
        Assert.Equal("opted_out", Assert.Single(await SuppressionsAsync(ws, contact)).GetProperty("reason").GetString());
        Assert.Equal("STOPPED", await EnrollmentStateAsync(ws, campaign, contact));
        Assert.Empty(await OutboxAsync(ws, contact)); // no confirmation: the person never wrote to us
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Sendgrid_bounces_drops_spam_reports_and_unsubscribes_suppress_with_their_reason(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await app.ConfigureSecretsAsync(ws.Id, sendGridPublicKey: Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        var bounced = await ws.CreateContactAsync(email: "bounced@example.com");
        var complainer = await ws.CreateContactAsync(email: "complainer@example.com");
        var leaver = await ws.CreateContactAsync(email: "leaver@example.com");
        await InsertSentAsync(app, ws.Id, bounced, Channel.Email, "sendgrid", "sg-b", "bounced@example.com");
        await InsertSentAsync(app, ws.Id, complainer, Channel.Email, "sendgrid", "sg-c", "complainer@example.com");
        await InsertSentAsync(app, ws.Id, leaver, Channel.Email, "sendgrid", "sg-u", "leaver@example.com");
        var body = Encoding.UTF8.GetBytes("""
            [{"email":"bounced@example.com","timestamp":1773165600,"event":"bounce","type":"bounce","reason":"550 5.1.1 no such user","sg_event_id":"e1","sg_message_id":"sg-b.f1"},
             {"email":"complainer@example.com","timestamp":1773165600,"event":"spamreport","sg_event_id":"e2","sg_message_id":"sg-c.f1"},
             {"email":"leaver@example.com","timestamp":1773165600,"event":"unsubscribe","sg_event_id":"e3","sg_message_id":"sg-u.f1"},
             {"email":"Stranger@Example.com","timestamp":1773165600,"event":"dropped","reason":"Bounced Address","sg_event_id":"e4"}]
            """);
        const string timestamp = "1773165600";
        var signature = Convert.ToBase64String(key.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body],
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/sendgrid/{ws.Id}")
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
            Headers = { { SendGridSignature.SignatureHeader, signature }, { SendGridSignature.TimestampHeader, timestamp } },
        };

        var response = await app.Anonymous.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(WebhookOutcome.Processed, (await app.DeliveryAsync(WebhookTestKit.DeliveryId(response))).Outcome);

        Assert.Equal("bounced", Assert.Single(await SuppressionsAsync(ws, bounced)).GetProperty("reason").GetString());
        Assert.Empty(await ConsentHistoryAsync(ws, bounced, "email")); // a dead mailbox said nothing about consent
        Assert.Equal("complaint", Assert.Single(await SuppressionsAsync(ws, complainer)).GetProperty("reason").GetString());
        Assert.Equal("spam_report", (await ConsentHistoryAsync(ws, complainer, "email"))[0].GetProperty("source").GetString());
        Assert.Equal("opted_out", Assert.Single(await SuppressionsAsync(ws, leaver)).GetProperty("reason").GetString());
        Assert.Equal("opt_out", (await ConsentHistoryAsync(ws, leaver, "email"))[0].GetProperty("status").GetString());
        var stranger = (await ws.GetJsonAsync("/api/v1/suppressions?value=stranger@example.com")).GetProperty("items");
        Assert.Equal("bounced", Assert.Single(stranger.EnumerateArray()).GetProperty("reason").GetString());
    }

    static Task<Guid> InsertSentAsync(TouchpointApp app, Guid ws, Guid contact, Channel channel, string provider, string providerId, string to) =>
        app.DbAsync(async db =>
        {
            var m = new OutboundMessage
            {
                WorkspaceId = ws, ContactId = contact, Channel = channel, Provider = provider, Purpose = "marketing",
                IdempotencyKey = Guid.NewGuid().ToString(), ProviderMessageId = providerId, Status = MessageStatus.Sent, Body = "hi", ToAddress = to,
            };
            db.OutboundMessages.Add(m);
            await db.SaveChangesAsync(Ct);
            return m.Id;
        });
}
