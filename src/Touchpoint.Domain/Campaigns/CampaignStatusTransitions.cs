using System.Text.Json.Serialization;
using Touchpoint.Domain.Vocabulary;
using S = Touchpoint.Domain.Vocabulary.CampaignStatus;

namespace Touchpoint.Domain.Campaigns;

/// <summary>Operator commands on a campaign (POST /campaigns/{id}/activate|pause|resume|complete).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CampaignCommand>))]
public enum CampaignCommand
{
    [JsonStringEnumMemberName("activate")] Activate,
    [JsonStringEnumMemberName("pause")] Pause,
    [JsonStringEnumMemberName("resume")] Resume,
    [JsonStringEnumMemberName("complete")] Complete,
}

public sealed record CampaignStatusRule(CampaignStatus From, CampaignCommand Command, CampaignStatus To);

/// <summary>Result of a command; refused ones (HTTP 409) keep <see cref="To"/> == <see cref="From"/>.</summary>
public sealed record CampaignStatusChange(CampaignStatus From, CampaignCommand Command, CampaignStatus To, bool Allowed, string? RefusalReason);

/// <summary>
/// draft → active; active ⇄ paused; active/paused → completed. Everything else is illegal: a completed
/// campaign is history, and a draft cannot be paused or completed without ever running.
/// </summary>
public static class CampaignStatusTransitions
{
    public static readonly IReadOnlyList<CampaignStatusRule> Rules =
    [
        new(S.Draft, CampaignCommand.Activate, S.Active),
        new(S.Active, CampaignCommand.Pause, S.Paused),
        new(S.Paused, CampaignCommand.Resume, S.Active),
        new(S.Active, CampaignCommand.Complete, S.Completed),
        new(S.Paused, CampaignCommand.Complete, S.Completed),
    ];

    public static CampaignStatusChange Apply(CampaignStatus from, CampaignCommand command)
    {
        var rule = Rules.FirstOrDefault(r => r.From == from && r.Command == command);
        return rule is null
            ? new(from, command, from, false, $"cannot {WireName.Of(command)} a {WireName.Of(from)} campaign")
            : new(from, command, rule.To, true, null);
    }

    /// <summary>Whether any command moves <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(CampaignStatus from, CampaignStatus to) => Rules.Any(r => r.From == from && r.To == to);

    /// <summary>Only active campaigns send; paused ones keep their enrollments and schedule.</summary>
    public static bool Sends(CampaignStatus status) => status == S.Active;
}
