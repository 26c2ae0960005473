using Touchpoint.Providers.Sandbox;

namespace Touchpoint.Providers;

/// <summary>Every provider adapter, listed explicitly and keyed by its name (no discovery).</summary>
public static class ProviderRegistration
{
    public static IServiceCollection AddMessageProviders(this IServiceCollection services)
    {
        services.AddScoped<ProviderAccounts>();
        services.AddKeyedScoped<IMessageProvider, SandboxProvider>(SandboxProvider.ProviderName);
        return services;
    }
}
