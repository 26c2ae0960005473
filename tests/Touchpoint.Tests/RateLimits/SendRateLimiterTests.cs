using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.RateLimits;
using Touchpoint.Hosting;
using Touchpoint.Tests.Contacts;
using Touchpoint.Tests.Infrastructure;

namespace Touchpoint.Tests.RateLimits;

public sealed class SendRateLimiterTests(PostgresCluster pg)
{
    static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static SendRateLimiter Limiter(TouchpointApp app, RateLimitOptions options) =>
        new(app.Services.GetRequiredService<DatabaseSettings>(), Options.Create(options));

    static RateLimitKey Sender(string key) => new(RateLimitScope.Sender, key);
    static RateLimitKey Workspace(Guid id) => new(RateLimitScope.Workspace, id.ToString());

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task Concurrent_acquirers_over_simulated_time_never_take_more_than_rate_times_window_plus_burst(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var options = new RateLimitOptions
        {
            Sender = new() { RatePerSecond = 5, Burst = 2 },
            Workspace = new() { RatePerSecond = 8, Burst = 4 },
        };
        // Three "processes", each with its own limiter and connections, sharing the buckets in the database.
        var processes = Enumerable.Range(0, 3).Select(_ => Limiter(app, options)).ToArray();
        var random = new Random(20260301);
        var step = TimeSpan.FromMilliseconds(100);
        const int ticks = 40;
        var taken = new ConcurrentBag<(int Tick, string Sender)>();
        var waits = new ConcurrentBag<TimeSpan>();

        for (var tick = 0; tick < ticks; tick++)
        {
            var now = T0 + (step * tick);
            var attempts = Enumerable.Range(0, random.Next(1, 7)).Select(_ => (Process: random.Next(3), Sender: random.Next(2) == 0 ? "A" : "B")).ToList();
            var t = tick;
            await Task.WhenAll(attempts.Select(async a =>
            {
                var wait = await processes[a.Process].TryAcquireAsync(ws.Id, [Sender(a.Sender), Workspace(ws.Id)], now, Ct);
                if (wait == TimeSpan.Zero) taken.Add((t, a.Sender));
                else waits.Add(wait);
            }));
        }

        var all = taken.ToList();
        for (var i = 0; i < ticks; i++)
            for (var j = i; j < ticks; j++)
            {
                var window = (step * (j - i)).TotalSeconds;
                var inWindow = all.Where(x => x.Tick >= i && x.Tick <= j).ToList();
                Assert.True(inWindow.Count(x => x.Sender == "A") <= 2 + (5 * window) + 1e-6, $"sender A over its limit in ticks {i}..{j}");
                Assert.True(inWindow.Count(x => x.Sender == "B") <= 2 + (5 * window) + 1e-6, $"sender B over its limit in ticks {i}..{j}");
                Assert.True(inWindow.Count <= 4 + (8 * window) + 1e-6, $"workspace over its limit in ticks {i}..{j}: {inWindow.Count}");
            }
        // Demand (~35/s) far exceeds the workspace's 8/s, so the limiter should pass close to its limit, not starve.
        var ceiling = 4 + (8 * (step * (ticks - 1)).TotalSeconds);
        Assert.True(all.Count >= 0.6 * ceiling, $"only {all.Count} of at most {ceiling} sends passed");
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1)));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_denied_acquire_takes_no_token_and_says_how_long_to_wait(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var limiter = Limiter(app, new RateLimitOptions
        {
            Sender = new() { RatePerSecond = 0.1, Burst = 1 },
            Workspace = new() { RatePerSecond = 1, Burst = 1 },
        });

        Assert.Equal(TimeSpan.Zero, await limiter.TryAcquireAsync(ws.Id, [Sender("other"), Workspace(ws.Id)], T0, Ct));
        // The workspace bucket is empty: wait 1 s, and the sender "S" keeps its only token.
        Assert.Equal(TimeSpan.FromSeconds(1), await limiter.TryAcquireAsync(ws.Id, [Sender("S"), Workspace(ws.Id)], T0, Ct));
        // A sender refilling at 0.1/s could not pass 1 s later had the denied call taken its token.
        Assert.Equal(TimeSpan.Zero, await limiter.TryAcquireAsync(ws.Id, [Sender("S"), Workspace(ws.Id)], T0.AddSeconds(1), Ct));
        Assert.Equal(TimeSpan.FromSeconds(10), await limiter.TryAcquireAsync(ws.Id, [Sender("S")], T0.AddSeconds(1), Ct));
        // An earlier instant (another node's clock) refills nothing.
        Assert.NotEqual(TimeSpan.Zero, await limiter.TryAcquireAsync(ws.Id, [Workspace(ws.Id)], T0, Ct));
        // Scopes whose default is "no limit" and nobody configured pass without a bucket.
        Assert.Equal(TimeSpan.Zero, await limiter.TryAcquireAsync(ws.Id, [new RateLimitKey(RateLimitScope.ProviderAccount, "AC1")], T0, Ct));
    }

    [Theory, InlineData(Store.Sqlite), InlineData(Store.Postgres)]
    public async Task A_workspace_configures_a_bucket_through_the_api_and_only_it_is_affected(Store store)
    {
        await using var app = await TouchpointApp.StartAsync(store, pg);
        var ws = await app.NewWorkspaceAsync();
        var other = await app.NewWorkspaceAsync();
        var limiter = app.Services.GetRequiredService<SendRateLimiter>(); // configured defaults: sender 1/s burst 1

        var bad = await ws.Http.PutAsJsonAsync("/api/v1/rate-limits", new { scope = "planet", key = "", ratePerSecond = 0, burst = 0 }, Ct);
        var problem = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest);
        foreach (var field in new[] { "scope", "key", "ratePerSecond", "burst" }) ProblemAssert.NamesField(problem, field);

        var put = await (await ws.Http.PutAsJsonAsync("/api/v1/rate-limits",
            new { scope = "sender", key = "+14155550100", ratePerSecond = 2, burst = 3 }, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("sender", 2.0, 3, true), (put.GetProperty("scope").GetString(), put.GetProperty("ratePerSecond").GetDouble(),
            put.GetProperty("burst").GetInt32(), put.GetProperty("configured").GetBoolean()));

        for (var n = 0; n < 3; n++)
            Assert.Equal(TimeSpan.Zero, await limiter.TryAcquireAsync(ws.Id, [Sender("+14155550100")], T0, Ct));
        Assert.Equal(TimeSpan.FromSeconds(0.5), await limiter.TryAcquireAsync(ws.Id, [Sender("+14155550100")], T0, Ct));
        // The other workspace's bucket for the same number follows the default: 1 token, then 1 s.
        Assert.Equal(TimeSpan.Zero, await limiter.TryAcquireAsync(other.Id, [Sender("+14155550100")], T0, Ct));
        Assert.Equal(TimeSpan.FromSeconds(1), await limiter.TryAcquireAsync(other.Id, [Sender("+14155550100")], T0, Ct));

        var listed = await ws.GetJsonAsync("/api/v1/rate-limits");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(0, item.GetProperty("tokens").GetDouble(), 6);
        Assert.Contains(listed.GetProperty("defaults").EnumerateArray(),
            d => d.GetProperty("scope").GetString() == "sender" && d.GetProperty("ratePerSecond").GetDouble() == 1);
        var otherItem = Assert.Single((await other.GetJsonAsync("/api/v1/rate-limits")).GetProperty("items").EnumerateArray());
        Assert.False(otherItem.GetProperty("configured").GetBoolean());
    }
}
