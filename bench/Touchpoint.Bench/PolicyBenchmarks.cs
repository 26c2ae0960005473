using BenchmarkDotNet.Attributes;
using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Bench;

/// <summary>
/// One policy decision per operation (docs/benchmarks.md "Policy engine"): a typical allowed campaign text,
/// a typical denial (opt-out), and a time-bound denial that also searches for nextAllowedAt.
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    static readonly Guid Campaign = Guid.Parse("0195a3c4-0000-7000-8000-000000000001");
    static readonly Instant Tuesday = Instant.FromUtc(2025, 6, 10, 18, 0); // 14:00 in New York

    PolicyRequest allowed = null!, optedOut = null!, quietHours = null!;

    [GlobalSetup]
    public void Setup()
    {
        allowed = new PolicyRequest(
            new ContactSnapshot(Guid.CreateVersion7(), "America/New_York", 10, LeadStage.Contacted),
            Channel.Sms, MessagePurpose.Marketing, new ResolvedAddress("+13053771234"),
            new WorkspacePolicy("America/Chicago", BudgetTier.Green), Tuesday)
        {
            Consent = new ChannelConsent(ConsentStatus.OptIn, Tuesday - Duration.FromDays(30)),
            Campaign = new CampaignPolicy(Campaign, CampaignStatus.Active)
            {
                QuietHours = QuietHoursWindow.Parse("21:00", "08:00"),
                MaxTouchesPerDay = 3,
                MaxTouchesPerWeek = 10,
                ChannelDailyCaps = new Dictionary<Channel, int> { [Channel.Sms] = 2 },
                AllowedChannels = [Channel.Sms, Channel.Email, Channel.Call],
                FatigueThreshold = 80,
            },
            RecentTouches =
            [
                new(Channel.Email, Tuesday - Duration.FromHours(30), Campaign),
                new(Channel.Sms, Tuesday - Duration.FromDays(3), Campaign),
            ],
        };
        optedOut = allowed with { Consent = new ChannelConsent(ConsentStatus.OptOut, Tuesday - Duration.FromDays(1)) };
        quietHours = allowed with { Now = Instant.FromUtc(2025, 6, 11, 2, 0) }; // 22:00 in New York
    }

    [Benchmark(Baseline = true)]
    public bool Allowed() => PolicyEngine.Evaluate(allowed).AllowSend;

    [Benchmark]
    public bool DeniedOptOut() => PolicyEngine.Evaluate(optedOut).AllowSend;

    [Benchmark]
    public Instant? DeniedQuietHoursWithNextAllowedAt() => PolicyEngine.Evaluate(quietHours).NextAllowedAt;
}
