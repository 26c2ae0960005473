using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Crm.Conversations;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatRecord = Touchpoint.Data.Entities.ChatMessage;

namespace Touchpoint.Features.Crm.Agents;

/// <summary>One agent turn: the answer text, how sure the agent is, and what its tools asked for.</summary>
public sealed record AgentTurn(string Reply, double Confidence, IReadOnlyList<string> ProposedTags, string? HandOffReason, Guid ThreadId);

/// <summary>
/// Runs an agent over a conversation through <see cref="IChatClient"/>. The context is the active strategy, the
/// conversation's latest summary and facts and only the last few messages — never the full history. Tools are the
/// column's whitelist; a call to anything else is refused and the refusal is sent back to the model. Every prompt,
/// answer, tool call and tool result is stored as a <see cref="ChatRecord"/> of the conversation's thread.
/// </summary>
public sealed partial class AgentRunner(TouchpointDb db, ChatClientFactory clients, AgentApiKeys keys, AgentToolbox toolbox,
    IOptions<CrmOptions> options, TimeProvider clock)
{
    public async Task<AgentTurn> RunAsync(Conversation c, EffectiveConfig config, string? instruction, CancellationToken ct)
    {
        var agent = Guid.TryParse(config.AgentId, out var agentId)
            ? await db.Agents.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.WorkspaceId == c.WorkspaceId && a.Id == agentId, ct)
            : null;
        var apiKey = agent is null ? null : keys.Reveal(agent);
        if (agent is not null) keys.UpgradeIfPlain(agent); // a pre-encryption row: saved encrypted with this turn
        var whitelist = config.Tools.Where(t => agent is not { Tools.Count: > 0 } || agent.Tools.Contains(t)).ToList();
        var thread = await ThreadAsync(c, agent, ct);
        var messages = await ContextAsync(c, agent, instruction, ct);
        Record(thread, "system", messages[0].Text, null);

        var effects = new ToolEffects();
        var chatOptions = new ChatOptions { ModelId = config.Model ?? agent?.Model, Tools = AgentToolbox.For(whitelist) };
        using var client = clients.Create(agent, apiKey, config.Model);
        var text = "";
        for (var round = 0; round <= options.Value.AgentMaxToolRounds; round++)
        {
            var response = await client.GetResponseAsync(messages, chatOptions, ct);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            text = response.Text;
            Record(thread, "assistant", text, calls.Count == 0 ? null
                : calls.Select(f => new { id = f.CallId, name = f.Name, arguments = f.Arguments }).ToList());
            if (calls.Count == 0) break;
            messages.AddRange(response.Messages);
            var results = new List<AIContent>();
            foreach (var call in calls)
            {
                var allowed = whitelist.Contains(call.Name, StringComparer.Ordinal);
                var result = allowed
                    ? await toolbox.ExecuteAsync(c, call.Name, call.Arguments ?? new Dictionary<string, object?>(), effects, ct)
                    : $"refused: tool '{call.Name}' is not whitelisted for this column";
                Record(thread, "tool", result, new[] { new { id = call.CallId, name = call.Name, status = allowed ? "executed" : "refused", result } });
                results.Add(new FunctionResultContent(call.CallId, result));
            }
            messages.Add(new AiMessage(ChatRole.Tool, results));
            text = "";
        }

        var (reply, confidence) = SplitConfidence(text);
        if (reply.Length == 0) (reply, confidence) = ("", 0); // no answer after the tool rounds: a human must look
        return new AgentTurn(reply, confidence, effects.ProposedTags, effects.HandOffReason, thread.Id);
    }

    /// <summary>
    /// Models state their confidence on a last line <c>confidence: 0.0–1.0</c> (the system prompt asks for it);
    /// an answer without it counts as confident (1.0) and is judged by the other guardrails only.
    /// </summary>
    public static (string Reply, double Confidence) SplitConfidence(string text)
    {
        var match = ConfidenceLine().Match(text);
        if (!match.Success) return (text.Trim(), 1.0);
        var value = double.Parse(match.Groups["v"].Value, CultureInfo.InvariantCulture);
        return (text[..match.Index].Trim(), Math.Clamp(value, 0, 1));
    }

    async Task<List<AiMessage>> ContextAsync(Conversation c, Agent? agent, string? instruction, CancellationToken ct)
    {
        var strategy = await db.StrategyVersions.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.WorkspaceId == c.WorkspaceId && s.Status == StrategyStatus.Active, ct);
        var recent = await db.ConversationMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == c.WorkspaceId && m.ConversationId == c.Id && m.MessageType != "event"
                && m.ApprovalState != ConversationLog.DraftPending && m.ApprovalState != ConversationLog.DraftRejected)
            .OrderByDescending(m => m.Sequence).Take(options.Value.AgentRecentMessages).ToListAsync(ct);

        var system = new StringBuilder();
        system.AppendLine(agent?.SystemPrompt ?? "You answer customers on behalf of the business, briefly and politely.");
        if (strategy is not null)
        {
            system.AppendLine($"Strategy v{strategy.VersionNumber}: tone: {strategy.Tone}; objectives: {strategy.Objectives}; " +
                $"objection handling: {strategy.ObjectionHandling}; CTA rules: {strategy.CtaRules}.");
        }
        system.AppendLine($"Conversation summary (v{c.SummaryVersion}): {c.Summary ?? "none yet"}");
        var facts = ConversationFacts.Parse(c.FactsJson);
        system.AppendLine("Known facts: " + (facts.Count == 0 ? "none" : string.Join("; ", facts.Select(f => $"{f.Key}={f.Value}"))));
        if (instruction is not null) system.AppendLine("Task: " + instruction);
        system.Append("End your answer with a last line 'confidence: <0..1>'.");

        var messages = new List<AiMessage> { new(ChatRole.System, system.ToString()) };
        foreach (var m in recent.OrderBy(m => m.Sequence))
            messages.Add(new AiMessage(m.Direction == Direction.Inbound ? ChatRole.User : ChatRole.Assistant, m.Content));
        return messages;
    }

    async Task<ConversationThread> ThreadAsync(Conversation c, Agent? agent, CancellationToken ct)
    {
        var thread = await db.ConversationThreads.IgnoreQueryFilters()
            .FirstOrDefaultAsync(t => t.WorkspaceId == c.WorkspaceId && t.ConversationId == c.Id, ct);
        if (thread is not null)
        {
            thread.AgentId = agent?.Id;
            return thread;
        }
        var now = clock.GetUtcNow();
        thread = new ConversationThread { WorkspaceId = c.WorkspaceId, ContactId = c.ContactId, ConversationId = c.Id, AgentId = agent?.Id, CreatedAt = now, UpdatedAt = now };
        db.ConversationThreads.Add(thread);
        return thread;
    }

    void Record(ConversationThread thread, string role, string content, object? toolCalls) =>
        db.ChatMessages.Add(new ChatRecord
        {
            WorkspaceId = thread.WorkspaceId, ThreadId = thread.Id, Role = role, Content = content, CreatedAt = clock.GetUtcNow(),
            ToolCallsJson = toolCalls is null ? null : JsonSerializer.Serialize(toolCalls, JsonSerializerOptions.Web),
        });

    [GeneratedRegex(@"\n?\s*confidence\s*[:=]\s*(?<v>[01](?:\.\d+)?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ConfidenceLine();
}
