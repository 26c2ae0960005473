using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Crm.Agents;

/// <summary>
/// <paramref name="ApiKey"/> is write-only: stored encrypted (<see cref="AgentApiKeys"/>), used for the endpoint, never
/// returned or logged. On PATCH an empty string removes the key.
/// </summary>
public sealed record AgentRequest(string? Name, string? Kind, string? Endpoint, string? Model, string? ApiKey, string? SystemPrompt,
    List<string>? Tools)
{
    public FieldErrors Validate(bool partial)
    {
        var errors = new FieldErrors();
        if (!partial) errors.Required("name", Name);
        var kind = Kind ?? (partial ? null : ChatClientFactory.Offline);
        if (kind is not null and not (ChatClientFactory.Offline or ChatClientFactory.OpenAi))
            errors.Add("kind", "must be offline or openai.");
        if (kind == ChatClientFactory.OpenAi && !partial && string.IsNullOrWhiteSpace(Endpoint))
            errors.Add("endpoint", "is required for openai agents (the base URL, e.g. https://api.openai.com/v1).");
        if (Endpoint is not null && !(Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            errors.Add("endpoint", "must be an absolute http(s) URL.");
        if (ApiKey is { Length: > AgentApiKeys.MaxKeyLength })
            errors.Add("apiKey", $"must be at most {AgentApiKeys.MaxKeyLength} characters.");
        foreach (var (i, tool) in (Tools ?? []).Select((t, i) => (i, t)))
            if (!CrmTools.All.Contains(tool)) errors.Add($"tools[{i}]", $"'{tool}' is not a tool; use one of {string.Join(", ", CrmTools.All)}.");
        return errors;
    }
}

public sealed record AgentView(Guid Id, string Name, string Kind, string? Endpoint, string? Model, string? SystemPrompt, List<string> Tools,
    bool HasApiKey)
{
    public static AgentView From(Agent a) => new(a.Id, a.Name, a.Kind, a.Endpoint, a.Model, a.SystemPrompt, a.Tools, !string.IsNullOrEmpty(a.ApiKey));
}

public sealed record AgentList(List<AgentView> Agents);

/// <summary>Per-workspace agents: which endpoint and model answer a column (its <c>agentId</c>).</summary>
public static class AgentsApi
{
    public static RouteGroupBuilder MapAgentsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/agents").WithTags("CRM").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", Create).WithName("CreateAgent");
        g.MapGet("/", List).WithName("ListAgents");
        g.MapPatch("/{id:guid}", Update).WithName("UpdateAgent").ProducesProblem(404);
        return g;
    }

    static async Task<Results<Created<AgentView>, ValidationProblem>> Create(AgentRequest body, HttpContext http, TouchpointDb db,
        AgentApiKeys keys, TimeProvider clock, CancellationToken ct)
    {
        if (body.Validate(partial: false) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var now = clock.GetUtcNow();
        var workspaceId = http.User.WorkspaceId();
        var agent = new Agent
        {
            WorkspaceId = workspaceId, Name = body.Name!.Trim(), Kind = body.Kind ?? ChatClientFactory.Offline,
            Endpoint = body.Endpoint, Model = body.Model, ApiKey = keys.Protect(workspaceId, body.ApiKey), SystemPrompt = body.SystemPrompt, Tools = body.Tools ?? [],
            CreatedAt = now, UpdatedAt = now,
        };
        db.Agents.Add(agent);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/agents/{agent.Id}", AgentView.From(agent));
    }

    static async Task<Ok<AgentList>> List(TouchpointDb db, AgentApiKeys keys, CancellationToken ct)
    {
        var agents = await db.Agents.OrderBy(a => a.Name).ToListAsync(ct);
        // Reading the list is a read of every key: plaintext rows from before encryption are encrypted here.
        if (agents.Count(keys.UpgradeIfPlain) > 0) await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AgentList([.. agents.Select(AgentView.From)]));
    }

    static async Task<Results<Ok<AgentView>, ValidationProblem, ProblemHttpResult>> Update(Guid id, AgentRequest body, TouchpointDb db,
        AgentApiKeys keys, TimeProvider clock, CancellationToken ct)
    {
        if (body.Validate(partial: true) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (agent is null) return TypedResults.Problem($"Agent {id} not found.", statusCode: 404);
        if (body.Name is { } name) agent.Name = name.Trim();
        if (body.Kind is { } kind) agent.Kind = kind;
        if (body.Endpoint is { } endpoint) agent.Endpoint = endpoint;
        if (body.Model is { } model) agent.Model = model;
        if (body.ApiKey is { } key) agent.ApiKey = keys.Protect(agent.WorkspaceId, key);
        else keys.UpgradeIfPlain(agent);
        if (body.SystemPrompt is { } prompt) agent.SystemPrompt = prompt;
        if (body.Tools is { } tools) agent.Tools = tools;
        agent.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AgentView.From(agent));
    }
}
