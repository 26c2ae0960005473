using System.Globalization;
using Microsoft.Extensions.AI;
using Touchpoint.Domain.Crm;

namespace Touchpoint.Features.Crm.Agents;

/// <summary>
/// The default agent as an <see cref="IChatClient"/>: deterministic intent rules and templates
/// (<see cref="OfflineIntents"/>), so the offline agent runs through exactly the same tool loop, whitelist and
/// recording as a real model. First turn: the tool calls its intent wants, limited to the tools it was offered;
/// after the tool results (or when no tool applies): the templated reply and its confidence line.
/// </summary>
public sealed class OfflineChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var lastUser = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var answer = OfflineIntents.Answer(lastUser);
        var offered = (options?.Tools ?? []).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var afterTools = list.Count > 0 && list[^1].Role == ChatRole.Tool;
        var calls = afterTools ? [] : answer.ToolCalls.Where(c => offered.Contains(c.Tool)).ToList();
        if (calls.Count > 0)
        {
            var contents = calls.Select((c, i) => (AIContent)new FunctionCallContent($"offline-{i + 1}", c.Tool,
                c.Arguments.ToDictionary(kv => kv.Key, kv => kv.Value))).ToList();
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, contents)) { ModelId = "offline" });
        }
        var text = $"{answer.Reply}\nconfidence: {answer.Confidence.ToString("0.00", CultureInfo.InvariantCulture)}";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { ModelId = "offline" });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
