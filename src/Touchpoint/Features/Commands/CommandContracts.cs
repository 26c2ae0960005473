using System.Text.Json;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Commands;

namespace Touchpoint.Features.Commands;

/// <summary><c>POST /api/v1/commands</c>: a command, or <c>confirm</c> with the token a mutating command answered with.</summary>
public sealed record CommandRequest(string? Text, string? Confirm);

public static class CommandStatuses
{
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string NeedsConfirmation = "needs_confirmation";
    public const string NotUnderstood = "not_understood";
    public const string Expired = "expired";
    /// <summary>Claimed by a confirmation and executing; guards against two confirmations running it twice.</summary>
    public const string Running = "running";
}

public sealed record CapabilityView(string Intent, string Description, bool NeedsConfirmation, IReadOnlyList<string> Examples)
{
    public static List<CapabilityView> All() =>
        [.. CommandCatalog.All.Select(s => new CapabilityView(s.Intent, s.Description, s.NeedsConfirmation, s.Examples))];
}

/// <summary>
/// A command run as answered and as listed in the history. <see cref="ConfirmToken"/> appears only in the
/// answer that asks for confirmation (only its hash is stored); <see cref="Capabilities"/> only when not understood.
/// </summary>
public sealed record CommandView(
    Guid Id, string Text, string Status, string? Intent, JsonElement Arguments, double Confidence, string? ResolvedBy,
    string? Message, JsonElement? Result, string? Actor, string? ConfirmToken, DateTimeOffset? ConfirmExpiresAt,
    List<CapabilityView>? Capabilities, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CommandView From(CommandRun run, string? confirmToken = null)
    {
        var outcome = run.ResultJson is null ? null : JsonSerializer.Deserialize<StoredOutcome>(run.ResultJson, JsonSerializerOptions.Web);
        return new(run.Id, run.Text, run.Status, run.Intent, JsonSerializer.Deserialize<JsonElement>(run.ArgumentsJson), run.Confidence,
            run.ResolvedBy, outcome?.Message, outcome?.Result, run.Actor, confirmToken,
            run.Status == CommandStatuses.NeedsConfirmation ? run.ConfirmExpiresAt : null,
            run.Status == CommandStatuses.NotUnderstood ? CapabilityView.All() : null, run.CreatedAt, run.UpdatedAt);
    }
}

/// <summary>What <c>command_runs.result_json</c> holds: a human sentence and the intent's data.</summary>
public sealed record StoredOutcome(string? Message, JsonElement? Result, string? ConfirmedBy = null);
