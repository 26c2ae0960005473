namespace Touchpoint.Domain.Commands;

/// <summary>The intents Command OS understands (seed 004 §4: system.status, lead.inspect, lead.enroll, plus campaign control).</summary>
public static class CommandIntents
{
    public const string SystemStatus = "system.status";
    public const string LeadInspect = "lead.inspect";
    public const string LeadEnroll = "lead.enroll";
    public const string CampaignPause = "campaign.pause";
    public const string CampaignResume = "campaign.resume";
    public const string CampaignStats = "campaign.stats";
}

/// <summary>Argument names an intent takes; <see cref="LeadBy"/> says how <see cref="Lead"/> was given when known.</summary>
public static class CommandArguments
{
    public const string Lead = "lead";
    public const string LeadBy = "leadBy";
    public const string Campaign = "campaign";
}

/// <summary>One intent: what it needs, whether it changes state (and so needs confirmation), and how to ask for it.</summary>
public sealed record CommandSpec(
    string Intent, string Description, IReadOnlyList<string> Required, bool NeedsConfirmation, IReadOnlyList<string> Examples);

public static class CommandCatalog
{
    public static readonly IReadOnlyList<CommandSpec> All =
    [
        new(CommandIntents.SystemStatus, "Queue depth, oldest pending job, dead jobs, sends and denials today, webhook failures, last worker heartbeat.",
            [], false, ["system status", "estado del sistema"]),
        new(CommandIntents.LeadInspect, "A contact with channels, consent, suppressions, enrollments and last policy decisions.",
            [CommandArguments.Lead], false, ["inspect lead +14155550100", "show contact ext-42", "ver contacto ana@example.com", "lead.inspect contactId=<id>"]),
        new(CommandIntents.LeadEnroll, "Enroll a contact in a campaign (asks for confirmation).",
            [CommandArguments.Lead, CommandArguments.Campaign], true, ["enroll ext-42 in Spring Promo", "inscribe ext-42 en la campaña Spring Promo"]),
        new(CommandIntents.CampaignPause, "Pause an active campaign (asks for confirmation).",
            [CommandArguments.Campaign], true, ["pause campaign Spring Promo", "pausa la campaña Spring Promo"]),
        new(CommandIntents.CampaignResume, "Resume a paused campaign (asks for confirmation).",
            [CommandArguments.Campaign], true, ["resume campaign Spring Promo", "reanuda la campaña Spring Promo"]),
        new(CommandIntents.CampaignStats, "Enrollments by state, messages by status and denials by reason for a campaign.",
            [CommandArguments.Campaign], false, ["stats for campaign Spring Promo", "estadísticas de la campaña Spring Promo"]),
    ];

    public static CommandSpec? Find(string? intent) =>
        All.FirstOrDefault(s => string.Equals(s.Intent, intent, StringComparison.OrdinalIgnoreCase));
}
