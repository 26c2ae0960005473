using NodaTime;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Campaigns;

/// <summary>
/// Issue 5 acceptance, black-box on a manual clock advanced hour by hour: a 3-step SMS → WhatsApp → email
/// campaign over contacts in New York, Chicago and Los Angeles.
/// </summary>
public sealed class CampaignOrchestrationTests(PostgresCluster pg)
{
    // Monday 2026-04-06 11:00 UTC = 07:00 New York, 06:00 Chicago, 04:00 Los Angeles: everyone is in quiet hours.
    const string MondayMorning = "2026-04-06T11:00:00Z";
    const string AnnPhone = "+12125550141", BenPhone = "+13125550142", CyPhone = "+14155550143", DeePhone = "+14155550144";

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Touches_keep_windows_and_delays_a_reply_engages_a_landline_falls_back_and_exhaustion_ends_unreachable(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg, clockAt: MondayMorning);
        var ws = await app.NewWorkspaceAsync();
        var ann = await ws.ReachableContactAsync("Ann", AnnPhone, "America/New_York", "ann@example.com");          // replies
        var ben = await ws.ReachableContactAsync("Ben", BenPhone, "America/Chicago", "ben@example.com");          // landline
        var cy = await ws.ReachableContactAsync("Cy", CyPhone, "America/Los_Angeles", null);                      // nothing works
        var dee = await ws.ReachableContactAsync("Dee", DeePhone, "America/Los_Angeles", "dee@example.com");     // never answers
        var zone = new Dictionary<Guid, string>
        {
            [ann] = "America/New_York", [ben] = "America/Chicago", [cy] = "America/Los_Angeles", [dee] = "America/Los_Angeles",
        };
        var campaign = await ws.CreateCampaignAsync(CampaignScenario.ThreeStepPlan());
        Assert.Equal(4, (await ws.EnrollAsync(campaign, ann, ben, cy, dee)).GetProperty("enrolled").GetInt32());

        var seen = new HashSet<Guid>();
        for (var hour = 0; hour < 24 * 4 + 6; hour++)
        {
            await app.AdvanceAsync(60);
            foreach (var item in (await ws.OutboxAsync()).Where(i => seen.Add(i.MessageId)))
            {
                if (item.ContactId == ann) await ws.ReplyAsync("sms", AnnPhone, "Yes, tell me more");
                else if (item.ContactId == ben && item.Channel == "sms") await ws.DeliveryEventAsync(item.MessageId, "failed", "30006");
                else if (item.ContactId == cy && item.Channel == "sms") await ws.DeliveryEventAsync(item.MessageId, "failed", "30006");
                else if (item.ContactId == cy && item.Channel == "whatsapp") await ws.DeliveryEventAsync(item.MessageId, "failed", "21211");
            }
        }

        var outbox = await ws.OutboxAsync();
        foreach (var item in outbox)
        {
            var local = CampaignScenario.LocalTimeIn(item.SentAt, zone[item.ContactId]);
            Assert.True(local >= new LocalTime(8, 0) && local < new LocalTime(21, 0), $"{item} went out at {local} local time");
        }
        // Nothing twice: one outbox row per message, and per (contact, step, channel).
        Assert.Equal(outbox.Count, outbox.Select(o => o.MessageId).Distinct().Count());
        Assert.Equal(outbox.Count, outbox.Select(o => (o.ContactId, o.StepIndex, o.Channel)).Distinct().Count());

        Assert.Equal([(0, "sms")], Touches(outbox, ann));
        // The landline never gets a second SMS: step 0 switches to WhatsApp, later steps go on without SMS.
        Assert.Equal([(0, "sms"), (0, "whatsapp"), (1, "whatsapp"), (2, "email")], Touches(outbox, ben));
        Assert.Equal([(0, "sms"), (0, "whatsapp")], Touches(outbox, cy));
        Assert.Equal([(0, "sms"), (1, "whatsapp"), (2, "email")], Touches(outbox, dee));

        var deeTouches = outbox.Where(o => o.ContactId == dee).ToList();
        Assert.Equal(new LocalTime(8, 0), CampaignScenario.LocalTimeIn(deeTouches[0].SentAt, "America/Los_Angeles")); // held to the window's start
        Assert.True(deeTouches[1].SentAt - deeTouches[0].SentAt >= TimeSpan.FromDays(1));
        Assert.True(deeTouches[2].SentAt - deeTouches[1].SentAt >= TimeSpan.FromDays(1));
        Assert.Equal("Hi Dee, step one", deeTouches[0].Body);

        var enrollments = await ws.EnrollmentsAsync(campaign);
        Assert.Equal("ENGAGED", enrollments[ann].GetProperty("state").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, enrollments[ann].GetProperty("nextActionAt").ValueKind);
        Assert.Equal("replied", enrollments[ann].GetProperty("stoppedReason").GetString());
        Assert.Equal("UNREACHABLE", enrollments[ben].GetProperty("state").GetString());
        Assert.Equal("sequence_completed", enrollments[ben].GetProperty("stoppedReason").GetString());
        Assert.Equal("UNREACHABLE", enrollments[cy].GetProperty("state").GetString());
        Assert.Equal("all_channels_exhausted", enrollments[cy].GetProperty("stoppedReason").GetString());
        Assert.Equal("UNREACHABLE", enrollments[dee].GetProperty("state").GetString());
        var last = enrollments[dee].GetProperty("lastDecision");
        Assert.True(last.GetProperty("allowSend").GetBoolean());
        Assert.Equal("allowed", last.GetProperty("reasonCode").GetString());
        Assert.Equal("email", last.GetProperty("channel").GetString());
        Assert.NotEmpty(last.GetProperty("ruleTrace").EnumerateArray());

        var stats = await ws.GetJsonAsync($"/api/v1/campaigns/{campaign}/stats");
        Assert.Equal(1, stats.GetProperty("byState").GetProperty("ENGAGED").GetInt32());
        Assert.Equal(3, stats.GetProperty("byState").GetProperty("UNREACHABLE").GetInt32());
        Assert.True(stats.GetProperty("denialsByReason").GetProperty("quiet_hours").GetInt32() >= 3);
        Assert.Equal(outbox.Count, stats.GetProperty("sentByChannel").EnumerateObject().Sum(p => p.Value.GetInt32())
            + stats.GetProperty("messagesByStatus").GetProperty("failed").GetInt32());
    }

    static List<(int, string)> Touches(List<OutboxItem> outbox, Guid contact) =>
        [.. outbox.Where(o => o.ContactId == contact).Select(o => (o.StepIndex ?? -1, o.Channel))];
}
