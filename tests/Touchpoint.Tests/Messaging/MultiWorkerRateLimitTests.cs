using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Messaging;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.Messaging;

/// <summary>
/// Issue #6 acceptance: a sender limited to 5 msg/s holds across three real worker processes on one PostgreSQL
/// (the buckets live in <c>send_rate_limits</c>). PostgreSQL only, like <see cref="MultiWorkerCrashTests"/>: SQLite
/// runs one process.
/// </summary>
public sealed class MultiWorkerRateLimitTests(PostgresCluster pg)
{
    const string Sender = "+447911120999";
    const int Rate = 5;
    const int Burst = 5;
    const int Messages = 60;
    const int WarmUpMessages = 30;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A token bucket admits at most <c>burst + rate × window</c> in any window: a full bucket plus what refills while
    /// the window is open — 10 in one second for 5/s with burst 5, and 5 per second once the burst is spent. The
    /// gateway stamps arrivals, not token grants; a send's loopback trip varies by a few milliseconds, which the
    /// window bound below allows for with one more message.
    /// </summary>
    const int ArrivalJitterTolerance = 1;

    [Fact]
    public async Task Five_per_second_on_one_sender_holds_across_three_worker_processes_and_every_message_arrives()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        await using var app = await MultiWorkerKit.StartApiOnlyAsync(pg);
        var ws = await app.NewWorkspaceAsync();
        await MultiWorkerKit.ConfigureGatewayAsync(ws, gateway, from: Sender);
        Assert.True((await (await ws.Http.PutAsJsonAsync("/api/v1/rate-limits", new { scope = "sender", key = Sender, ratePerSecond = Rate, burst = Burst }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK)).GetProperty("configured").GetBoolean());
        var contacts = await MultiWorkerKit.CreateContactsAsync(ws, MultiWorkerKit.Contacts);
        // A second workspace without a sender limit warms the workers' send path first: a cold process's first send
        // (JIT, HttpClient, pools) lags its token by up to a second, which would blur the windows measured below.
        // Its own roomy bucket sends it down the same path as the limited sends (one at a time through the limiter, not the
        // unlimited batch path), so that path is what gets warm.
        var warm = await app.NewWorkspaceAsync();
        await MultiWorkerKit.ConfigureGatewayAsync(warm, gateway, from: null);
        Assert.True((await (await warm.Http.PutAsJsonAsync("/api/v1/rate-limits",
                new { scope = "workspace", key = warm.Id.ToString(), ratePerSecond = 1000, burst = 1000 }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK)).GetProperty("configured").GetBoolean());
        var warmContacts = await MultiWorkerKit.CreateContactsAsync(warm, 5);

        var workers = new List<WorkerProcess>();
        HashSet<string> keys;
        try
        {
            for (var i = 0; i < 3; i++) workers.Add(MultiWorkerKit.StartWorker(app, $"worker-{i}"));
            await MultiWorkerKit.SubmitAsync(warm, warmContacts, WarmUpMessages, "warm");
            await MultiWorkerKit.WaitForAsync(() => Task.FromResult(gateway.Posts == WarmUpMessages), TimeSpan.FromMinutes(2),
                () => $"the warm-up sends did not all arrive (gateway has {gateway.Posts})", workers);

            keys = await MultiWorkerKit.SubmitAsync(ws, contacts, Messages, "rate");
            await MultiWorkerKit.WaitForAsync(async () => await MultiWorkerKit.FinishedMessagesAsync(app) == Messages + WarmUpMessages,
                TimeSpan.FromMinutes(3), () => $"not every message was sent: {MultiWorkerKit.StatusCounts(app)}; gateway has {gateway.Posts}", workers);
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }

        // All arrive, once each, and every message is sent: excess work waited, it did not fail.
        await MultiWorkerKit.AssertNoRepeatedSendAsync(app, gateway);
        var limited = gateway.Arrivals.Where(a => keys.Contains(a.Key)).ToList();
        Assert.Equal(Messages, limited.Count);
        Assert.True(keys.SetEquals(limited.Select(a => a.Key)), "the gateway did not receive exactly the submitted keys");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
            Assert.Equal(Messages, await db.OutboundMessages.IgnoreQueryFilters()
                .CountAsync(m => m.WorkspaceId == ws.Id && m.Status == MessageStatus.Sent, Ct));
            // The limiter did engage: sends that found the bucket empty were re-scheduled as new dispatch rows.
            Assert.True(await db.ScheduledActions.IgnoreQueryFilters().CountAsync(a => a.WorkspaceId == ws.Id && a.Kind == MessageDispatcher.Kind, Ct) > Messages,
                "no send was ever postponed: the limit was not exercised");
        }

        var seconds = limited.Select(a => (double)a.Timestamp / Stopwatch.Frequency).Order().ToArray();
        var busiest = BusiestWindow(seconds, window: 1.0);
        var span = seconds[^1] - seconds[0];
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Messages} sends in {span:F1} s; busiest 1 s window {busiest}; per second: {string.Join(' ', PerSecond(seconds))}");
        Assert.True(busiest <= Burst + Rate + ArrivalJitterTolerance,
            $"{busiest} sends arrived within one second; the bucket allows {Burst} + {Rate}/s (+{ArrivalJitterTolerance} jitter)");
        // Over the whole run the rate is the limit: after the burst, one token every 1/rate seconds.
        var minimum = (double)(Messages - Burst) / Rate;
        Assert.True(span >= minimum - 0.5, $"{Messages} sends took {span:F2} s; at {Rate}/s with burst {Burst} they need at least {minimum:F1} s");
    }

    /// <summary>The most arrivals in any half-open window [t, t + window) starting at an arrival.</summary>
    static int BusiestWindow(double[] sorted, double window)
    {
        var best = 0;
        for (int start = 0, end = 0; start < sorted.Length; start++)
        {
            while (end < sorted.Length && sorted[end] < sorted[start] + window) end++;
            best = Math.Max(best, end - start);
        }
        return best;
    }

    static IEnumerable<int> PerSecond(double[] sorted) =>
        sorted.GroupBy(s => (int)(s - sorted[0])).OrderBy(g => g.Key).Select(g => g.Count());
}
