using NodaTime;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Tests.Policy;

/// <summary>A typical allowed marketing text (New York number, opt-in, active campaign, Tuesday afternoon)
/// that each test bends in one direction.</summary>
static class PolicyScenario
{
    public const string NewYorkPhone = "+12127365000";
    public const string MiamiPhone = "+13053771234";
    public const string OklahomaCityPhone = "+14052321234";
    public const string BaltimorePhone = "+14103321234";
    public const string SeattlePhone = "+12063861234";
    public const string AustinPhone = "+15124741234";
    public const string TorontoPhone = "+14163921234";
    public const string LondonPhone = "+442079460018";

    public static readonly Guid CampaignId = Guid.Parse("0195a3c4-0000-7000-8000-000000000001");
    public static readonly Guid ContactId = Guid.Parse("0195a3c4-0000-7000-8000-0000000000c1");

    /// <summary>Tuesday 2025-06-10 14:00 in New York.</summary>
    public static readonly Instant TuesdayAfternoonInNewYork = At("America/New_York", 2025, 6, 10, 14, 0);

    public static Instant At(string zone, int year, int month, int day, int hour, int minute) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(DateTimeZoneProviders.Tzdb[zone]).ToInstant();

    public static CampaignPolicy ActiveCampaign => new(CampaignId, CampaignStatus.Active);

    public static PolicyRequest MarketingText(string phone = NewYorkPhone, Instant? now = null) => new(
        new ContactSnapshot(ContactId, TimeZone: null, FatigueScore: 0, LeadStage.Contacted),
        Channel.Sms,
        MessagePurpose.Marketing,
        new ResolvedAddress(phone),
        new WorkspacePolicy("UTC", BudgetTier.Green),
        now ?? TuesdayAfternoonInNewYork)
    {
        Consent = new ChannelConsent(ConsentStatus.OptIn, Instant.FromUtc(2025, 1, 1, 0, 0)),
        Campaign = ActiveCampaign,
    };

    public static PolicyRequest On(this PolicyRequest request, Channel channel, string address) =>
        request with { Channel = channel, Address = new ResolvedAddress(address) };

    public static RecentTouch TextOnCampaign(Instant sentAt) => new(Channel.Sms, sentAt, CampaignId);

    public static RuleOutcome Rule(this PolicyVerdict verdict, string rule) => verdict.RuleTrace.Single(r => r.Rule == rule);
}
