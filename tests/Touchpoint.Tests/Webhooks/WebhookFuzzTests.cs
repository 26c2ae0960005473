using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Tests.Infrastructure;
using static Touchpoint.Tests.Webhooks.WebhookTestKit;

namespace Touchpoint.Tests.Webhooks;

public sealed class WebhookFuzzTests(PostgresCluster pg)
{
    static readonly string[] Fragments =
        ["{", "}", "[", "]", "\"type\":", "\"message.inbound\"", "\"data\":{", "MessageSid=SM1&", "SmsStatus=received&", "From=%2B1415&",
         "Body=STOP", "\"object\":\"whatsapp_business_account\"", "\"event\":\"bounce\"", "\"sg_event_id\":", "null", "\u00e9\u0000", "%ZZ", "&&=="];

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Random_bodies_and_headers_never_yield_a_500_and_every_request_is_archived(Store store)
    {
        await using var app = await StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        await app.ConfigureSecretsAsync(ws.Id);
        await ws.CreateContactAsync("+14155550123");
        var random = new Random(20250309);
        var ct = TestContext.Current.CancellationToken;
        const int requests = 300;

        for (var i = 0; i < requests; i++)
        {
            var provider = new[] { "twilio", "sendgrid", "meta", "http", "meta-get" }[random.Next(5)];
            var body = RandomBody(random);
            var request = provider == "meta-get"
                ? new HttpRequestMessage(HttpMethod.Get, $"/webhooks/meta/{ws.Id}?hub.mode={RandomText(random)}&hub.verify_token={(random.Next(2) == 0 ? MetaVerifyToken : "x")}&hub.challenge={random.Next()}")
                : new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{provider}/{ws.Id}") { Content = new ByteArrayContent(body) };
            if (request.Content is not null && random.Next(3) == 0)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(2) == 0 ? "application/x-www-form-urlencoded" : "application/json; charset=utf-8");
            // Half the requests are validly signed so that normalization and apply see the garbage too.
            var signed = random.Next(2) == 0;
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            switch (provider)
            {
                case "twilio":
                    request.Headers.TryAddWithoutValidation(TwilioSignature.Header, signed
                        ? TwilioSignature.Compute(TwilioToken, $"{PublicBaseUrl}/webhooks/twilio/{ws.Id}", UrlEncodedForm.Parse(Encoding.UTF8.GetString(body)))
                        : RandomText(random));
                    break;
                case "meta":
                    request.Headers.TryAddWithoutValidation(MetaSignature.Header, signed ? MetaSignature.Compute(MetaSecret, body) : "sha256=" + RandomText(random));
                    break;
                case "http":
                    request.Headers.TryAddWithoutValidation(StandardWebhooksSignature.IdHeader, "msg_" + i);
                    request.Headers.TryAddWithoutValidation(StandardWebhooksSignature.TimestampHeader, signed ? now.ToString(CultureInfo.InvariantCulture) : RandomText(random));
                    request.Headers.TryAddWithoutValidation(StandardWebhooksSignature.SignatureHeader, signed ? StandardWebhooksSignature.Sign(HttpSecret, "msg_" + i, now, body) : "v1," + RandomText(random));
                    break;
                case "sendgrid":
                    request.Headers.TryAddWithoutValidation(SendGridSignature.SignatureHeader, RandomText(random));
                    request.Headers.TryAddWithoutValidation(SendGridSignature.TimestampHeader, RandomText(random));
                    break;
            }
            request.Headers.TryAddWithoutValidation("X-Random-" + random.Next(10), RandomText(random));

            var response = await app.Anonymous.SendAsync(request, ct);

            Assert.True((int)response.StatusCode < 500, $"request {i} ({provider}) got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            Assert.True(response.Headers.Contains("X-Touchpoint-Delivery-Id"), $"request {i} ({provider}) was not archived");
        }
        Assert.Equal(requests, await app.DbAsync(db => db.WebhookDeliveries.CountAsync(d => d.WorkspaceId == ws.Id, ct)));
        var outcomes = await app.DbAsync(db => db.WebhookDeliveries.Where(d => d.WorkspaceId == ws.Id).Select(d => d.Outcome).Distinct().ToListAsync(ct));
        Assert.DoesNotContain(Domain.Vocabulary.WebhookOutcome.Failed, outcomes);
        // The signed half must have reached normalization and apply, not only the signature check.
        Assert.Contains(Domain.Vocabulary.WebhookOutcome.Processed, outcomes);
        Assert.Contains(Domain.Vocabulary.WebhookOutcome.Unparsed, outcomes);
    }

    static byte[] RandomBody(Random random) => random.Next(4) switch
    {
        0 => RandomBytes(random),
        1 => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => Fragments[random.Next(Fragments.Length)]))),
        2 => Encoding.UTF8.GetBytes($"MessageSid=SM{random.Next(50)}&SmsStatus={(random.Next(2) == 0 ? "received" : "delivered")}&From=%2B1415555{random.Next(10000):D4}&To=%2B14155550100&Body={Uri.EscapeDataString(RandomText(random))}"),
        _ => Encoding.UTF8.GetBytes($$$"""{"type":"message.inbound","data":{"channel":"{{{(random.Next(2) == 0 ? "sms" : RandomText(random))}}}","messageId":"gw-{{{random.Next(50)}}}","from":"{{{RandomText(random)}}}","body":"x"}}"""),
    };

    static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 2048)];
        random.NextBytes(bytes);
        return bytes;
    }

    static string RandomText(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 24)).Select(_ => (char)random.Next(33, 127)).Where(c => c is not ('"' or '\\'))]);
}
