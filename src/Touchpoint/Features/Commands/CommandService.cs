using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Commands;
using Touchpoint.Features.Audit;

namespace Touchpoint.Features.Commands;

/// <summary>Why a confirmation was refused: 400 for a token we never issued here, 409 when it is spent or stale.</summary>
public enum ConfirmRefusal { None, Unknown, AlreadyUsed, Expired }

/// <summary>
/// Command OS: resolve the text, record the run, and either answer at once (reads), ask for confirmation
/// (mutations: a one-time token, valid <see cref="ConfirmWindow"/>, stored only as a hash) or say what it can do.
/// Every run, understood or not, is a row in <c>command_runs</c>; executed mutations are also audited.
/// </summary>
public sealed class CommandService(TouchpointDb db, CommandInterpreter interpreter, CommandExecutor executor, AuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan ConfirmWindow = TimeSpan.FromMinutes(10);

    public async Task<CommandView> RunAsync(Guid workspaceId, string actor, string text, CancellationToken ct)
    {
        var (resolved, resolvedBy) = await interpreter.ResolveAsync(workspaceId, text, ct);
        var now = clock.GetUtcNow();
        var run = new CommandRun
        {
            WorkspaceId = workspaceId, Text = text, Intent = resolved.Intent, Confidence = resolved.Confidence, ResolvedBy = resolvedBy,
            ArgumentsJson = Json(resolved.Arguments), Actor = actor, Status = CommandStatuses.NotUnderstood, CreatedAt = now, UpdatedAt = now,
        };
        db.CommandRuns.Add(run);
        if (!resolved.Understood)
        {
            run.ResultJson = Json(new StoredOutcome(resolved.Problem, null));
            await db.SaveChangesAsync(ct);
            return CommandView.From(run);
        }

        var (prepared, problem) = await executor.PrepareAsync(workspaceId, resolved, ct);
        if (prepared is null)
        {
            run.Status = CommandStatuses.Failed;
            run.ResultJson = Json(new StoredOutcome(problem, null));
            await db.SaveChangesAsync(ct);
            return CommandView.From(run);
        }
        run.ArgumentsJson = Json(prepared.Arguments);
        if (prepared.NeedsConfirmation)
        {
            var token = "cfm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            run.Status = CommandStatuses.NeedsConfirmation;
            run.ConfirmTokenHash = ApiKeys.Hash(token);
            run.ConfirmExpiresAt = now + ConfirmWindow;
            run.ResultJson = Json(new StoredOutcome($"{prepared.Summary} Send {{\"confirm\": \"<token>\"}} to execute it.", null));
            await db.SaveChangesAsync(ct);
            return CommandView.From(run, token);
        }
        // Saved before executing, so a crash mid-way still leaves the command in the history (as running).
        run.Status = CommandStatuses.Running;
        await db.SaveChangesAsync(ct);
        return await ExecuteAsync(run, prepared, null, ct);
    }

    public async Task<(CommandView? View, ConfirmRefusal Refusal)> ConfirmAsync(Guid workspaceId, string actor, string token, CancellationToken ct)
    {
        var hash = ApiKeys.Hash(token.Trim());
        // The workspace filter applies: a token issued to another workspace is simply unknown here.
        var run = await db.CommandRuns.FirstOrDefaultAsync(r => r.ConfirmTokenHash == hash, ct);
        if (run is null) return (null, ConfirmRefusal.Unknown);
        if (run.Status != CommandStatuses.NeedsConfirmation) return (CommandView.From(run), ConfirmRefusal.AlreadyUsed);
        var now = clock.GetUtcNow();
        if (run.ConfirmExpiresAt is { } expires && expires <= now)
        {
            run.Status = CommandStatuses.Expired;
            run.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            return (CommandView.From(run), ConfirmRefusal.Expired);
        }
        // Claim the run with a conditional update so two confirmations racing cannot both execute it.
        var claimed = await db.CommandRuns.Where(r => r.Id == run.Id && r.Status == CommandStatuses.NeedsConfirmation)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, CommandStatuses.Running), ct);
        if (claimed == 0) return (CommandView.From(run), ConfirmRefusal.AlreadyUsed);

        var arguments = JsonSerializer.Deserialize<Dictionary<string, string>>(run.ArgumentsJson) ?? [];
        var spec = CommandCatalog.Find(run.Intent)!;
        var prepared = new PreparedCommand(spec.Intent, arguments, "", true);
        return (await ExecuteAsync(run, prepared, actor, ct), ConfirmRefusal.None);
    }

    public async Task<List<CommandView>> HistoryAsync(int limit, CancellationToken ct)
    {
        var runs = await db.CommandRuns.AsNoTracking().OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(limit).ToListAsync(ct);
        return [.. runs.Select(r => CommandView.From(r))];
    }

    async Task<CommandView> ExecuteAsync(CommandRun run, PreparedCommand prepared, string? confirmedBy, CancellationToken ct)
    {
        var outcome = await executor.ExecuteAsync(run.WorkspaceId, prepared, ct);
        Record(run, outcome, confirmedBy);
        await db.SaveChangesAsync(ct);
        if (prepared.NeedsConfirmation)
            await audit.RecordAsync(AuditActions.CommandExecuted, $"command_run:{run.Id}",
                new { run.Text, run.Intent, arguments = prepared.Arguments, status = run.Status }, ct);
        return CommandView.From(run);
    }

    void Record(CommandRun run, CommandOutcome outcome, string? confirmedBy = null)
    {
        // Bulk enrollment clears the change tracker; re-attach the run so its result is saved.
        if (db.Entry(run).State == EntityState.Detached) db.CommandRuns.Update(run);
        run.Status = outcome.Status;
        run.UpdatedAt = clock.GetUtcNow();
        var result = outcome.Result is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(outcome.Result, JsonSerializerOptions.Web);
        run.ResultJson = Json(new StoredOutcome(outcome.Message, result, confirmedBy));
    }

    static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
