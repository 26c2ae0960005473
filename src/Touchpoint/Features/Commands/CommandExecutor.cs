using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Commands;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Campaigns;

namespace Touchpoint.Features.Commands;

/// <summary>A command whose targets were found: arguments now carry <c>contactId</c> / <c>campaignId</c>.</summary>
public sealed record PreparedCommand(string Intent, Dictionary<string, string> Arguments, string Summary, bool NeedsConfirmation);

public sealed record CommandOutcome(string Status, string Message, object? Result);

/// <summary>
/// Runs intents through the services the HTTP API uses (CampaignService, EnrollmentService, ContactService),
/// so a command can do exactly what the corresponding call does, never more. Preparing finds the targets and
/// refuses early (unknown lead, illegal status change) so that nothing doomed is offered for confirmation.
/// </summary>
public sealed class CommandExecutor(CommandTargets targets, CommandQueries queries, SystemStatusQuery status,
    CampaignService campaigns, EnrollmentService enrollments)
{
    public const string ContactId = "contactId";
    public const string CampaignId = "campaignId";

    public async Task<(PreparedCommand? Prepared, string? Problem)> PrepareAsync(Guid workspaceId, ResolvedCommand command, CancellationToken ct)
    {
        var spec = command.Spec!;
        var args = new Dictionary<string, string>(command.Arguments);
        string? contactLabel = null, campaignName = null;
        if (args.TryGetValue(CommandArguments.Lead, out var lead))
        {
            var found = await targets.LeadAsync(workspaceId, lead, args.GetValueOrDefault(CommandArguments.LeadBy), ct);
            if (found.Id is not { } id) return (null, found.Problem);
            args[ContactId] = id.ToString();
            contactLabel = lead;
        }
        if (args.TryGetValue(CommandArguments.Campaign, out var campaign))
        {
            var found = await targets.CampaignAsync(campaign, ct);
            if (found.Id is not { } id) return (null, found.Problem);
            args[CampaignId] = id.ToString();
            campaignName = found.Name;
            if (CommandFor(spec.Intent) is { } statusCommand && await campaigns.GetAsync(id, ct) is { } view
                && CampaignStatusTransitions.Apply(view.Status, statusCommand) is { Allowed: false } refused)
                return (null, $"Campaign '{campaignName}' is {WireName.Of(view.Status)}: {refused.RefusalReason}.");
        }
        var summary = spec.Intent switch
        {
            CommandIntents.LeadEnroll => $"Enroll contact {contactLabel} in campaign '{campaignName}'.",
            CommandIntents.CampaignPause => $"Pause campaign '{campaignName}'.",
            CommandIntents.CampaignResume => $"Resume campaign '{campaignName}'.",
            CommandIntents.LeadInspect => $"Inspect contact {contactLabel}.",
            CommandIntents.CampaignStats => $"Statistics of campaign '{campaignName}'.",
            _ => "System status.",
        };
        return (new PreparedCommand(spec.Intent, args, summary, spec.NeedsConfirmation), null);
    }

    public async Task<CommandOutcome> ExecuteAsync(Guid workspaceId, PreparedCommand command, CancellationToken ct)
    {
        Guid Id(string key) => Guid.Parse(command.Arguments[key]);
        switch (command.Intent)
        {
            case CommandIntents.SystemStatus:
                return Done("System status.", await status.RunAsync(workspaceId, ct));
            case CommandIntents.LeadInspect:
                return await queries.InspectLeadAsync(Id(ContactId), ct) is { } lead
                    ? Done($"Contact {command.Arguments[CommandArguments.Lead]}.", lead) : Fail("The contact no longer exists.");
            case CommandIntents.CampaignStats:
                return await queries.CampaignStatsAsync(Id(CampaignId), ct) is { } stats
                    ? Done($"Statistics of campaign '{stats.Name}'.", stats) : Fail("The campaign no longer exists.");
            case CommandIntents.LeadEnroll:
                var enrolled = await enrollments.EnrollAsync(Id(CampaignId), [Id(ContactId)], ct);
                if (enrolled is null) return Fail("The campaign no longer exists.");
                if (enrolled.Rejected is [var rejection, ..]) return new(CommandStatuses.Failed, $"Not enrolled: {rejection.Reason}.", enrolled);
                return Done(enrolled.Enrolled == 1 ? command.Summary.Replace("Enroll", "Enrolled", StringComparison.Ordinal)
                    : "The contact was already enrolled in this campaign.", enrolled);
            case CommandIntents.CampaignPause or CommandIntents.CampaignResume:
                var (view, change) = await campaigns.ChangeStatusAsync(Id(CampaignId), CommandFor(command.Intent)!.Value, ct);
                if (change is null) return Fail("The campaign no longer exists.");
                return view is null ? Fail($"Refused: {change.RefusalReason}.")
                    : Done($"Campaign '{view.Name}' is now {WireName.Of(view.Status)}.", view);
            default:
                return Fail($"'{command.Intent}' has no executor.");
        }
    }

    static CampaignCommand? CommandFor(string intent) => intent switch
    {
        CommandIntents.CampaignPause => CampaignCommand.Pause,
        CommandIntents.CampaignResume => CampaignCommand.Resume,
        _ => null,
    };

    static CommandOutcome Done(string message, object? result) => new(CommandStatuses.Completed, message, result);
    static CommandOutcome Fail(string message) => new(CommandStatuses.Failed, message, null);
}
