using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using static Touchpoint.Domain.Tests.Policy.PolicyScenario;

namespace Touchpoint.Domain.Tests.Policy;

/// <summary>Builds a varied request from a seed: FsCheck supplies and shrinks the seed.</summary>
static class RandomPolicyRequest
{
    static readonly string[] Zones =
    [
        "America/New_York", "America/Los_Angeles", "America/Chicago", "America/Phoenix", "Europe/London",
        "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Chatham", "America/St_Johns",
        "Europe/Berlin", "Asia/Tokyo",
    ];

    // DST transition days (and their eves) so random instants land on gaps and overlaps often.
    static readonly Instant[] Days =
    [
        Instant.FromUtc(2025, 3, 8, 0, 0), Instant.FromUtc(2025, 11, 1, 0, 0), Instant.FromUtc(2025, 3, 29, 0, 0),
        Instant.FromUtc(2025, 10, 25, 0, 0), Instant.FromUtc(2025, 4, 5, 0, 0), Instant.FromUtc(2025, 10, 4, 0, 0),
        Instant.FromUtc(2025, 9, 27, 0, 0), Instant.FromUtc(2025, 6, 14, 0, 0), Instant.FromUtc(2025, 12, 31, 0, 0),
    ];

    static readonly string?[] States = [null, "FL", "OK", "MD", "WA", "TX", "NY"];
    static readonly string[] Phones = [NewYorkPhone, MiamiPhone, AustinPhone, TorontoPhone, LondonPhone];
    static readonly string[] Quiet = ["", "21:00-08:00", "22:00-02:30", "01:30-02:15", "12:00-13:00", "20:00-09:00"];

    public static Instant Now(int seed) => Days[Pick(seed, 0, Days.Length)] + Duration.FromMinutes(Pick(seed, 1, 3 * 24 * 60));

    public static bool IsPhone(Channel channel) => channel is not (Channel.Email or Channel.Instagram or Channel.Messenger);

    /// <param name="forceAllowable">Keep only time-bound obstacles, so windows and caps are exercised.</param>
    public static PolicyRequest From(int seed, bool forceAllowable = false)
    {
        var random = new Random(seed);
        var now = Now(seed);
        var channels = Enum.GetValues<Channel>();
        var channel = channels[random.Next(channels.Length)];
        var zone = Zones[random.Next(Zones.Length)];
        var quiet = Quiet[random.Next(Quiet.Length)];
        var touches = Enumerable.Range(0, random.Next(6))
            .Select(_ => new RecentTouch(channels[random.Next(channels.Length)], now - Duration.FromMinutes(random.Next(1, 8 * 24 * 60)),
                random.Next(3) == 0 ? Guid.NewGuid() : CampaignId))
            .ToArray();
        var campaign = ActiveCampaign with
        {
            Status = forceAllowable || random.Next(6) > 0 ? CampaignStatus.Active : CampaignStatus.Paused,
            QuietHours = quiet.Length == 0 ? null : QuietHoursWindow.Parse(quiet[..5], quiet[6..]),
            MaxTouchesPerDay = random.Next(4) == 0 ? null : random.Next(1, 5),
            MaxTouchesPerWeek = random.Next(4) == 0 ? null : random.Next(2, 10),
            ChannelDailyCaps = random.Next(2) == 0 ? null : new Dictionary<Channel, int> { [channel] = random.Next(1, 3) },
        };
        var request = new PolicyRequest(
            new ContactSnapshot(ContactId, zone, random.Next(100), LeadStage.Contacted, States[random.Next(States.Length)]),
            channel,
            random.Next(3) == 0 ? MessagePurpose.TransactionalReply : MessagePurpose.Marketing,
            new ResolvedAddress(IsPhone(channel) ? Phones[random.Next(Phones.Length)] : "ana@example.com", TimeZone: zone),
            new WorkspacePolicy("America/New_York", (BudgetTier)random.Next(forceAllowable ? 2 : 3)),
            now)
        {
            Consent = new ChannelConsent((ConsentStatus)random.Next(forceAllowable ? 1 : 3)),
            Campaign = random.Next(5) == 0 ? null : campaign,
            RecentTouches = touches,
            Attestations = forceAllowable || random.Next(2) == 0 ? [new([channel], null, now + Duration.FromDays(60))] : [],
        };
        return request;
    }

    // Deterministic (unlike HashCode.Combine) so a failing seed replays.
    static int Pick(int seed, int salt, int range) => (int)(unchecked((uint)seed * 2654435761u + (uint)salt * 40503u) % (uint)range);
}
