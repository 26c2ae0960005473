using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using Touchpoint.Data.Entities;

namespace Touchpoint.Features.Crm.Agents;

/// <summary>
/// Picks the <see cref="IChatClient"/> for an agent row: <c>offline</c> (or no row) → <see cref="OfflineChatClient"/>;
/// <c>openai</c> → any OpenAI-compatible <c>/v1/chat/completions</c> endpoint (OpenAI, Azure OpenAI compatible
/// gateways, vLLM, Ollama, LM Studio …) through Microsoft.Extensions.AI.OpenAI. The decrypted key
/// (<see cref="AgentApiKeys.Reveal"/>) is handed to the SDK only.
/// </summary>
public sealed class ChatClientFactory
{
    public const string Offline = "offline";
    public const string OpenAi = "openai";
    public const string DefaultModel = "gpt-4o-mini";

    public IChatClient Create(Agent? agent, string? apiKey, string? model)
    {
        if (agent is null || agent.Kind == Offline) return new OfflineChatClient();
        var options = new OpenAIClientOptions { Endpoint = new Uri(agent.Endpoint!) };
        // Some local servers need no key; the SDK still requires a non-empty credential.
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "none" : apiKey), options);
        return client.GetChatClient(model ?? agent.Model ?? DefaultModel).AsIChatClient();
    }
}
