using Touchpoint.Auth;

namespace Touchpoint.Dashboard;

/// <summary>The operator dashboard at <c>/</c>: Razor components rendered on the server (static SSR), no SPA.</summary>
public static class DashboardSetup
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddAuthorizationBuilder().AddPolicy(DashboardAuthentication.Policy, p => p
            .AddAuthenticationSchemes(DashboardAuthentication.SchemeName)
            .RequireClaim(ApiKeyAuthentication.WorkspaceClaim));
        services.AddScoped<WorkspaceClock>();
        services.AddScoped<DirectorReport>();
        services.AddScoped<ContactSearch>();
        services.AddScoped<OperationsReport>();
        services.AddScoped<KanbanReport>();
        return services;
    }

    public static void MapDashboard(this WebApplication app)
    {
        app.MapDashboardLogout();
        app.MapRazorComponents<App>();
    }
}
