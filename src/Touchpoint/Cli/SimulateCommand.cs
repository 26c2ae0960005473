using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Features.Campaigns;
using Touchpoint.Features.Policy;
using Touchpoint.Hosting;

namespace Touchpoint.Cli;

/// <summary>
/// <c>touchpoint simulate --campaign &lt;id&gt; --days N --workspace &lt;id&gt;</c>: the same forecast as
/// <c>POST /api/v1/campaigns/{id}/simulate</c>, printed as JSON. Sends and stores nothing.
/// </summary>
static class SimulateCommand
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Simulate(TextWriter stdout)
    {
        var campaign = new Option<Guid>("--campaign") { Description = "Campaign id.", Required = true };
        var workspace = new Option<Guid>("--workspace") { Description = "Workspace id the campaign belongs to.", Required = true };
        var days = new Option<int>("--days") { Description = "Days to simulate (1-90).", DefaultValueFactory = _ => 14 };
        var command = new Command("simulate", "Forecast a campaign's touches per day and channel, sending nothing.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(campaign);
        command.Options.Add(workspace);
        command.Options.Add(days);
        command.SetAction(async (r, ct) =>
        {
            if (r.GetValue(days) is < 1 or > CampaignsApi.MaxSimulationDays)
                throw new ConfigurationException($"--days must be between 1 and {CampaignsApi.MaxSimulationDays}.");
            var config = CliConfiguration.Build(r.UnmatchedTokens);
            var settings = DatabaseSettings.From(config);
            var scope = new WorkspaceScope();
            scope.Enter(r.GetValue(workspace));
            await using var db = TouchpointDbOptions.Create(settings.Provider, settings.ConnectionString, scope);
            var options = config.GetSection(CampaignEngineOptions.Section).Get<CampaignEngineOptions>() ?? new CampaignEngineOptions();
            var simulation = new CampaignSimulation(db, new PolicyRequestBuilder(db), new PlanCache(), TimeProvider.System, Options.Create(options));
            var view = await simulation.RunAsync(r.GetValue(campaign), r.GetValue(days), ct)
                ?? throw new ConfigurationException($"campaign {r.GetValue(campaign)} does not exist in workspace {r.GetValue(workspace)}.");
            stdout.WriteLine(JsonSerializer.Serialize(view, Json));
            return 0;
        });
        return command;
    }
}
