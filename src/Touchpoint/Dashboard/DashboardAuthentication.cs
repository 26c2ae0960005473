using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Touchpoint.Auth;
using Touchpoint.Data;

namespace Touchpoint.Dashboard;

/// <summary>
/// The dashboard's own cookie scheme. The API keeps Bearer only: accepting the cookie there would expose the
/// JSON API to cross-site requests, which have no antiforgery token. Login takes a workspace API key, checked
/// by the same lookup as the Bearer scheme; the cookie keeps the key's id (never the key) and every request
/// re-checks that the key is unrevoked before entering the workspace scope.
/// </summary>
public static class DashboardAuthentication
{
    public const string SchemeName = "DashboardCookie";
    public const string Policy = "dashboard";
    public const string CookieName = "touchpoint_dashboard";
    const string ApiKeyIdClaim = "touchpoint:api_key_id";

    public static AuthenticationBuilder AddDashboardCookie(this AuthenticationBuilder auth) =>
        auth.AddCookie(SchemeName, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.AccessDeniedPath = "/login";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // Sessions age in wall-clock time: a manual (simulation) clock must neither expire nor prolong them.
            o.TimeProvider = TimeProvider.System;
            o.Events.OnValidatePrincipal = ValidateAsync;
        });

    public static ClaimsPrincipal PrincipalFor(ApiKeyMatch key) => new(new ClaimsIdentity(
    [
        new Claim(ApiKeyAuthentication.WorkspaceClaim, key.WorkspaceId.ToString()),
        new Claim(ApiKeyIdClaim, key.Id.ToString()),
        // The prefix makes the audit log's actor read the same for the dashboard as for the API (CurrentWorkspace.Actor).
        new Claim(ApiKeyAuthentication.KeyPrefixClaim, key.Prefix),
        new Claim(ClaimTypes.Name, $"key:{key.Name}"),
    ], SchemeName));

    static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        var db = context.HttpContext.RequestServices.GetRequiredService<TouchpointDb>();
        if (Guid.TryParse(user?.FindFirstValue(ApiKeyAuthentication.WorkspaceClaim), out var workspaceId)
            && Guid.TryParse(user?.FindFirstValue(ApiKeyIdClaim), out var keyId)
            && await ApiKeys.IsActiveAsync(db, workspaceId, keyId, context.HttpContext.RequestAborted))
        {
            db.Scope.Enter(workspaceId);
            return;
        }
        // A revoked key ends every dashboard session opened with it.
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(SchemeName);
    }

    /// <summary>POST /logout from the layout's form; the antiforgery token is checked here because the handler binds no form.</summary>
    public static IEndpointConventionBuilder MapDashboardLogout(this IEndpointRouteBuilder app) =>
        app.MapPost("/logout", async Task<IResult> (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
                return TypedResults.Problem("The form's antiforgery token is missing or invalid.", statusCode: 400);
            await http.SignOutAsync(SchemeName);
            return TypedResults.Redirect("/login");
        }).RequireAuthorization(Policy).ExcludeFromDescription(); // authorizing sets the user the token was issued to
}
