namespace Touchpoint.Cli;

/// <summary>The server's configuration sources, for verbs that do not start the web host.</summary>
static class CliConfiguration
{
    public static IConfiguration Build(IReadOnlyList<string> args)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. args])
            .Build();
    }
}
