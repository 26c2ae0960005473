using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Admin;
using Touchpoint.Features.Campaigns;
using Touchpoint.Hosting;
using Touchpoint.Jobs;
using CampaignPolicy = Touchpoint.Domain.Campaigns.CampaignPolicy;
using CampaignStep = Touchpoint.Domain.Campaigns.CampaignStep;

namespace Touchpoint.Bench;

/// <summary>
/// docs/benchmarks.md "Enrollment and first touch": N contacts (SMS opt-in, New York numbers) are inserted as
/// setup, then (1) one bulk enrollment of all of them and (2) the orchestrator's sweep scheduling their first
/// touch — policy decision, render, outbox row and dispatch job per contact — are timed on the real host
/// services over SQLite or PostgreSQL. Nothing is dispatched (no workers, the manual clock stands still).
/// </summary>
public static class EnrollAndTouchBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var store = Arg("--store", "sqlite");
        var contacts = int.Parse(Arg("--contacts", "100000"), System.Globalization.CultureInfo.InvariantCulture);
        var touches = int.Parse(Arg("--touches", contacts.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
        var sqliteFile = Path.Combine(Path.GetTempPath(), $"touchpoint-bench-{Guid.NewGuid():N}.db");
        var connection = store == "postgres" ? Arg("--postgres", "") : $"Data Source={sqliteFile}";
        var provider = store == "postgres" ? "Postgres" : "Sqlite";

        var app = TouchpointWeb.Build([
            $"--Database:Provider={provider}", $"--ConnectionStrings:{provider}={connection}", "--Database:AutoMigrate=true",
            "--Clock:Mode=Manual", "--Clock:Start=2026-04-07T17:00:00Z", "--Touchpoint:Scheduler:Workers=0",
            $"--Touchpoint:Campaigns:MaxPerTick={touches}", "--Touchpoint:Campaigns:BatchSize=500", "--Logging:LogLevel:Default=Warning",
        ]);
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseStartup>().PrepareAsync(CancellationToken.None);

        var (workspaceId, campaignId, ids) = await SetUpAsync(app.Services, contacts);
        Console.WriteLine($"store={store} contacts={contacts:N0} (setup done)");

        var started = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        EnrollResult result;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
            result = (await scope.ServiceProvider.GetRequiredService<EnrollmentService>().EnrollAsync(campaignId, ids, CancellationToken.None))!;
        }
        var enrollTime = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"enroll: {result.Enrolled:N0} enrollments in {enrollTime.TotalSeconds:F1} s = {result.Enrolled / enrollTime.TotalSeconds:N0} rows/s; {CpuSince(ref cpu)}");

        started = Stopwatch.GetTimestamp();
        int swept;
        await using (var scope = app.Services.CreateAsyncScope())
            swept = await ((TouchTick)scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(TouchTick.Kind)).SweepAsync(CancellationToken.None);
        var touchTime = Stopwatch.GetElapsedTime(started);
        int queued;
        await using (var scope = app.Services.CreateAsyncScope())
            queued = await scope.ServiceProvider.GetRequiredService<TouchpointDb>().OutboundMessages.CountAsync(m => m.CampaignId == campaignId);
        Console.WriteLine($"first touch: {queued:N0} touches scheduled (of {swept:N0} swept) in {touchTime.TotalSeconds:F1} s = {queued / touchTime.TotalSeconds:N0} touches/s; {CpuSince(ref cpu)}");

        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" }) if (File.Exists(f)) File.Delete(f);
        return 0;
    }

    /// <summary>This process's CPU time since <paramref name="mark"/> (then moves the mark) and the machine's load average.</summary>
    static string CpuSince(ref TimeSpan mark)
    {
        var now = Process.GetCurrentProcess().TotalProcessorTime;
        var used = now - mark;
        mark = now;
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        return $"process CPU {used.TotalSeconds:F1} s, load average {load}";
    }

    static async Task<(Guid Workspace, Guid Campaign, List<Guid> Contacts)> SetUpAsync(IServiceProvider services, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var workspace = await sp.GetRequiredService<WorkspaceProvisioning>().CreateAsync("bench", "America/New_York", "US", CancellationToken.None);
        sp.GetRequiredService<WorkspaceScope>().Enter(workspace.Id);
        var plan = new CampaignPolicy(new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)), 3, 10, [Channel.Sms, Channel.Email], FollowUpPreset.Balanced);
        var campaign = await sp.GetRequiredService<CampaignService>().CreateAsync(workspace.Id, new CampaignRequest("bench", null, plan,
        [
            new CampaignStep(Channel.Sms, "Hi {{ contact.firstName }}", 0, new FallbackRouting([Channel.Sms, Channel.Email], 1, 60)),
            new CampaignStep(Channel.Email, "Following up", 1440),
        ]), CancellationToken.None);
        var db = sp.GetRequiredService<TouchpointDb>();
        var row = await db.Campaigns.SingleAsync(c => c.Id == campaign.Id);
        row.Status = CampaignStatus.Active;
        await db.SaveChangesAsync();

        var now = DateTimeOffset.Parse("2026-04-07T17:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var ids = new List<Guid>(count);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var start = 0; start < count; start += 5000)
        {
            for (var i = start; i < Math.Min(count, start + 5000); i++)
            {
                var contact = new Contact { WorkspaceId = workspace.Id, FirstName = $"C{i}", CreatedAt = now, UpdatedAt = now };
                db.Contacts.Add(contact);
                db.ContactChannels.Add(new ContactChannel
                {
                    WorkspaceId = workspace.Id, ContactId = contact.Id, Kind = Channel.Sms, Value = $"+1212{2000000 + i}", IsPrimary = true,
                    CreatedAt = now, UpdatedAt = now,
                });
                db.Consents.Add(new Consent
                {
                    WorkspaceId = workspace.Id, ContactId = contact.Id, Channel = Channel.Sms, Status = ConsentStatus.OptIn, Source = "bench",
                    CapturedAt = now.AddDays(-30), CreatedAt = now, UpdatedAt = now,
                });
                ids.Add(contact.Id);
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        return (workspace.Id, campaign.Id, ids);
    }
}
