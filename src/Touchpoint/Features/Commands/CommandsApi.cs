using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Domain.Commands;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Commands;

/// <summary>Command OS over HTTP (seed 004 §4): run a command, confirm a mutating one, read the history.</summary>
public static class CommandsApi
{
    public static RouteGroupBuilder MapCommandsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/commands").WithTags("Commands").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", RunCommand).WithName("RunCommand").ProducesProblem(409);
        g.MapGet("/", ListCommands).WithName("ListCommands");
        return g;
    }

    static async Task<Results<Ok<CommandView>, ValidationProblem, ProblemHttpResult>> RunCommand(
        CommandRequest body, HttpContext http, CommandService commands, CancellationToken ct)
    {
        var workspaceId = http.User.WorkspaceId();
        var actor = http.User.Actor();
        if (!string.IsNullOrWhiteSpace(body.Confirm))
        {
            var (view, refusal) = await commands.ConfirmAsync(workspaceId, actor, body.Confirm, ct);
            return refusal switch
            {
                ConfirmRefusal.None => TypedResults.Ok(view!),
                ConfirmRefusal.Unknown => TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    { ["confirm"] = ["is not a confirmation token issued to this workspace."] }),
                ConfirmRefusal.Expired => TypedResults.Problem(
                    $"The confirmation expired after {CommandService.ConfirmWindow.TotalMinutes:0} minutes; send the command again.", statusCode: 409),
                _ => TypedResults.Problem($"This confirmation was already used (the command is {view!.Status}).", statusCode: 409),
            };
        }
        var errors = new FieldErrors();
        errors.Required("text", body.Text);
        if (body.Text is { Length: > CommandResolver.MaxLength }) errors.Add("text", $"must be at most {CommandResolver.MaxLength} characters.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await commands.RunAsync(workspaceId, actor, body.Text!.Trim(), ct));
    }

    static async Task<Results<Ok<List<CommandView>>, ValidationProblem>> ListCommands(int? limit, CommandService commands, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["must be between 1 and 500."] });
        return TypedResults.Ok(await commands.HistoryAsync(limit ?? 50, ct));
    }
}
