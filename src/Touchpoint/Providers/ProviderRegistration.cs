using Microsoft.AspNetCore.DataProtection;
using Touchpoint.Data;
using Touchpoint.Providers.Http;
using Touchpoint.Providers.Meta;
using Touchpoint.Providers.Sandbox;
using Touchpoint.Providers.SendGrid;
using Touchpoint.Providers.Smtp;
using Touchpoint.Providers.Twilio;

namespace Touchpoint.Providers;

/// <summary>Every provider adapter, listed explicitly and keyed by its name (no discovery).</summary>
public static class ProviderRegistration
{
    /// <summary>Data Protection application name: every process sharing the database must use the same one.</summary>
    public const string DataProtectionApplication = "Touchpoint";

    public static IServiceCollection AddMessageProviders(this IServiceCollection services)
    {
        services.AddScoped<ProviderAccounts>();
        // Keys live in the database so every API and worker process on one PostgreSQL can read what another encrypted.
        services.AddDataProtection().SetApplicationName(DataProtectionApplication).PersistKeysToDbContext<TouchpointDb>();
        services.AddSingleton<ProviderSecretProtector>();

        services.AddKeyedScoped<IMessageProvider, SandboxProvider>(SandboxProvider.ProviderName);
        services.AddProviderHttpClient<TwilioProvider>();
        services.AddKeyedScoped<IMessageProvider>(TwilioProvider.ProviderName, (sp, _) => sp.GetRequiredService<TwilioProvider>());
        services.AddProviderHttpClient<MetaWhatsAppProvider>();
        services.AddKeyedScoped<IMessageProvider>(MetaWhatsAppProvider.ProviderName, (sp, _) => sp.GetRequiredService<MetaWhatsAppProvider>());
        services.AddProviderHttpClient<SendGridProvider>();
        services.AddKeyedScoped<IMessageProvider>(SendGridProvider.ProviderName, (sp, _) => sp.GetRequiredService<SendGridProvider>());
        services.AddProviderHttpClient<SignedHttpProvider>();
        services.AddKeyedScoped<IMessageProvider>(SignedHttpProvider.ProviderName, (sp, _) => sp.GetRequiredService<SignedHttpProvider>());
        services.AddKeyedScoped<IMessageProvider, SmtpProvider>(SmtpProvider.ProviderName);
        return services;
    }
}
