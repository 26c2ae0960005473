using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Crm.Conversations;
using Touchpoint.Features.Messaging;
using Touchpoint.Jobs;

namespace Touchpoint.Features.Crm.Automation;

/// <summary>
/// Evaluates every enabled automation rule against the conversations it covers, at "now". Each trigger
/// occurrence has a deterministic key (time_window: the occurrence instant; inactivity: the last inbound instant
/// it measures from; tag_added: the tag event), and a run is claimed by inserting its AutomationRun — the unique
/// (rule, occurrence) index makes any number of nodes ticking at once run it exactly once. Skipped runs
/// (guardrails) are recorded too. Sends go through <see cref="MessageSubmission"/> with a key derived from the run.
/// </summary>
public sealed partial class AutomationEngine(IServiceScopeFactory scopes, TimeProvider clock, IOptions<CrmOptions> options,
    ILogger<AutomationEngine> log)
{
    public async Task<int> EvaluateAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<AutomationRule> rules;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
            rules = await db.AutomationRules.IgnoreQueryFilters().AsNoTracking().Where(r => r.Enabled).ToListAsync(ct);
        }
        var runs = 0;
        foreach (var rule in rules)
        {
            foreach (var (conversationId, occurrence) in await DueAsync(rule, now, ct))
            {
                // One scope per run: a failed run cannot poison the unit of work of the next one.
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(rule.WorkspaceId);
                if (await RunAsync(scope.ServiceProvider, rule, conversationId, occurrence, now, ct)) runs++;
            }
        }
        return runs;
    }

    async Task<List<(Guid ConversationId, string Occurrence)>> DueAsync(AutomationRule rule, DateTimeOffset now, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TouchpointDb>();
        var conversations = await db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WorkspaceId == rule.WorkspaceId && c.Status != ConversationStatus.Closed && (rule.ColumnId == null || c.ColumnId == rule.ColumnId))
            .ToListAsync(ct);
        var due = new List<(Guid, string)>();
        switch (rule.Trigger)
        {
            case AutomationTrigger.Inactivity:
                foreach (var c in conversations)
                {
                    var anchor = c.LastInboundAt ?? c.CreatedAt;
                    if (anchor + TimeSpan.FromHours(rule.InactivityHours ?? 24) <= now) due.Add((c.Id, $"inactivity:{anchor.ToUniversalTime():O}"));
                }
                break;
            case AutomationTrigger.TimeWindow:
            {
                var workspaceZone = await db.Workspaces.AsNoTracking().Where(w => w.Id == rule.WorkspaceId).Select(w => w.Timezone).SingleAsync(ct);
                var contactIds = conversations.Select(c => c.ContactId).ToList();
                var contacts = await db.Contacts.IgnoreQueryFilters().AsNoTracking().Include(c => c.Channels)
                    .Where(c => c.WorkspaceId == rule.WorkspaceId && contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
                // Never replay a backlog: at most the latest occurrence within the lookback, and none from before the rule existed.
                var after = Instant.FromDateTimeOffset(Max(now - options.Value.AutomationLookback, rule.CreatedAt));
                foreach (var c in conversations)
                {
                    var contact = contacts[c.ContactId];
                    var address = contact.Channels.FirstOrDefault(ch => ch.Kind == c.Channel && ch.Value == c.ContactHandle);
                    var zone = AutomationSchedule.ContactZone(address?.Timezone, contact.Timezone,
                        RecipientPhone(c.Channel, c.ContactHandle), workspaceZone);
                    if (AutomationSchedule.LatestOccurrence(rule.Schedule!, zone, after, Instant.FromDateTimeOffset(now)) is { } at)
                        due.Add((c.Id, $"window:{at}"));
                }
                break;
            }
            case AutomationTrigger.TagAdded:
            {
                var byContact = conversations.GroupBy(c => c.ContactId).ToDictionary(g => g.Key, g => g.First().Id);
                var ids = byContact.Keys.ToList();
                var events = await db.TagEvents.IgnoreQueryFilters().AsNoTracking()
                    .Where(t => t.WorkspaceId == rule.WorkspaceId && t.TagSlug == rule.TagSlug && t.Status == "confirmed"
                        && t.UpdatedAt >= rule.CreatedAt && ids.Contains(t.ContactId))
                    .Select(t => new { t.Id, t.ContactId, t.ConversationId }).ToListAsync(ct);
                foreach (var e in events) due.Add((e.ConversationId is { } cid && conversations.Any(c => c.Id == cid) ? cid : byContact[e.ContactId], $"tag:{e.Id}"));
                break;
            }
        }
        return due;
    }

    async Task<bool> RunAsync(IServiceProvider services, AutomationRule rule, Guid conversationId, string occurrence, DateTimeOffset now,
        CancellationToken ct)
    {
        var db = services.GetRequiredService<TouchpointDb>();
        if (await db.AutomationRuns.AnyAsync(r => r.RuleId == rule.Id && r.OccurrenceKey == occurrence, ct)) return false;
        var run = new AutomationRun
        {
            WorkspaceId = rule.WorkspaceId, RuleId = rule.Id, ConversationId = conversationId, OccurrenceKey = occurrence, Status = "running",
            CreatedAt = now, UpdatedAt = now,
        };
        db.AutomationRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return false; // another node claimed this occurrence first
        }

        try
        {
            var (status, result) = await ActAsync(services, db, rule, run, now, ct);
            run.Status = status;
            run.ResultJson = JsonSerializer.Serialize(result, JsonSerializerOptions.Web);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRunFailed(log, e, rule.Id, occurrence);
            db.ChangeTracker.Clear();
            db.Attach(run);
            run.Status = "failed";
            run.ResultJson = JsonSerializer.Serialize(new { error = e.Message }, JsonSerializerOptions.Web);
        }
        run.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return true;
    }

    static async Task<(string Status, object Result)> ActAsync(IServiceProvider services, TouchpointDb db, AutomationRule rule, AutomationRun run,
        DateTimeOffset now, CancellationToken ct)
    {
        var c = await db.Conversations.FirstAsync(x => x.Id == run.ConversationId, ct);
        var guardrails = AutomationRuleView.Parse<AutomationGuardrails>(rule.GuardrailsJson) ?? new();
        var contact = await db.Contacts.AsNoTracking().FirstAsync(x => x.Id == c.ContactId, ct);
        var column = await db.BoardColumns.AsNoTracking().FirstAsync(x => x.Id == c.ColumnId, ct);
        if (guardrails.SkipIfTags?.FirstOrDefault(t => contact.Tags.Contains(t, StringComparer.OrdinalIgnoreCase)) is { } tag)
            return ("skipped", new { reason = $"contact has tag {tag}" });
        if (guardrails.SkipHumanColumns && (column.Mode == ColumnMode.HumanMode || c.ClaimedBy is not null))
            return ("skipped", new { reason = "conversation is under human handling" });
        if (guardrails.MaxRunsPerDay is { } max)
        {
            var since = now - TimeSpan.FromHours(24);
            var recent = await db.AutomationRuns.CountAsync(r => r.RuleId == rule.Id && r.ConversationId == c.Id && r.Id != run.Id
                && r.Status != "skipped" && r.CreatedAt >= since, ct);
            if (recent >= max) return ("skipped", new { reason = $"{recent} runs in 24 h reached maxRunsPerDay {max}" });
        }

        var action = AutomationRuleView.Parse<AutomationActionConfig>(rule.ActionJson) ?? new();
        var key = $"automation:{rule.Id}:{c.Id}:{run.OccurrenceKey}";
        if (rule.Action == AutomationAction.RunAgent)
        {
            var outcome = await services.GetRequiredService<ConversationDispatcher>()
                .RunAgentAsync(c, action.Instruction ?? $"Follow up ({rule.Name}).", key, ct);
            return (outcome, new { outcome });
        }

        var submitted = await services.GetRequiredService<MessageSubmission>().SubmitAsync(new SendCommand(c.WorkspaceId, c.ContactId, c.Channel,
            MessagePurpose.Marketing, key, Body: action.Body, TemplateKey: action.TemplateKey, ConversationId: c.Id), recordRenderFailure: true, ct);
        var sent = submitted.Message;
        var message = ConversationLog.Append(db, c, Direction.Outbound, ConversationLog.Automation, sent?.Body ?? action.Body ?? "", now,
            status: sent is null ? "invalid" : WireName.Of(sent.Status), details: new { ruleId = rule.Id, occurrence = run.OccurrenceKey });
        message.OutboundMessageId = sent?.Id;
        return (sent is { Status: not (MessageStatus.Denied or MessageStatus.Failed) } ? "sent" : "denied",
            new { messageId = sent?.Id, status = sent is null ? null : WireName.Of(sent.Status), reasonCode = submitted.Decision?.ReasonCode ?? sent?.ErrorCode });
    }

    static string? RecipientPhone(Channel channel, string handle) =>
        channel is Channel.Sms or Channel.Imessage or Channel.Whatsapp or Channel.Call or Channel.Voicemail or Channel.Rvm ? handle : null;

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(LogLevel.Warning, "Automation rule {RuleId} failed for occurrence {Occurrence}.")]
    static partial void LogRunFailed(ILogger logger, Exception e, Guid ruleId, string occurrence);
}

/// <summary>The recurring tick (<c>crm.automation.tick</c>, a system job): evaluates every workspace's rules.</summary>
public sealed class AutomationTickJob(AutomationEngine engine) : IJobHandler
{
    public const string Kind = "crm.automation.tick";

    public Task HandleAsync(ClaimedJob job, CancellationToken ct) => engine.EvaluateAsync(ct);
}
