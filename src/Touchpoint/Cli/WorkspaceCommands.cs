using System.CommandLine;
using Touchpoint.Data;
using Touchpoint.Features.Admin;
using Touchpoint.Features.Shared;
using Touchpoint.Hosting;

namespace Touchpoint.Cli;

static class WorkspaceCommands
{
    public static Command Workspace(TextWriter stdout)
    {
        var name = new Option<string>("--name") { Description = "Workspace name.", Required = true };
        var timezone = new Option<string>("--timezone") { Description = "IANA time zone.", DefaultValueFactory = _ => "UTC" };
        var region = new Option<string>("--region") { Description = "Default phone region (ISO 3166 alpha-2).", DefaultValueFactory = _ => "US" };
        var create = new Command("create", "Create a workspace and print its API key (shown once).") { TreatUnmatchedTokensAsErrors = false };
        create.Options.Add(name);
        create.Options.Add(timezone);
        create.Options.Add(region);
        create.SetAction(async (r, ct) =>
        {
            var errors = new FieldErrors();
            errors.TimeZone("--timezone", r.GetValue(timezone));
            errors.Region("--region", r.GetValue(region));
            if (errors.Count > 0)
                throw new ConfigurationException(string.Join(" ", errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}")));

            var settings = DatabaseSettings.From(CliConfiguration.Build(r.UnmatchedTokens));
            await using var db = TouchpointDbOptions.Create(settings.Provider, settings.ConnectionString);
            var created = await new WorkspaceProvisioning(db, TimeProvider.System)
                .CreateAsync(r.GetValue(name)!, r.GetValue(timezone)!, r.GetValue(region), ct);
            stdout.WriteLine($"Workspace {created.Id} '{created.Name}' created.");
            stdout.WriteLine($"API key (shown only this once): {created.ApiKey}");
            return 0;
        });
        return new Command("workspace", "Workspace administration.") { create };
    }
}
