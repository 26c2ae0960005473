using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Data;

namespace Touchpoint.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>: the configured admin key, or a workspace key looked up by its
/// SHA-256 hash. A workspace key enters the request's <see cref="WorkspaceScope"/>, which filters every query.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TouchpointDb db, IConfiguration config)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string WorkspaceClaim = "touchpoint:workspace";
    public const string AdminRole = "admin";
    public const string AdminPolicy = "admin";
    public const string WorkspacePolicy = "workspace";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var presented = header["Bearer ".Length..].Trim();
        if (presented.Length == 0) return AuthenticateResult.Fail("Empty bearer token.");

        var adminKey = config["Touchpoint:AdminApiKey"];
        if (!string.IsNullOrEmpty(adminKey) && FixedTimeEquals(presented, adminKey))
            return Success(new Claim(ClaimTypes.Role, AdminRole), new Claim(ClaimTypes.Name, "admin"));

        var key = await ApiKeys.FindActiveAsync(db, presented, Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("Unknown or revoked API key.");

        db.Scope.Enter(key.WorkspaceId);
        return Success(new Claim(WorkspaceClaim, key.WorkspaceId.ToString()), new Claim(ClaimTypes.Name, $"key:{key.Name}"));
    }

    AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

/// <summary>Workspace API keys: random, prefixed for recognisability, stored only as a SHA-256 hash.</summary>
public static class ApiKeys
{
    public static (string Key, string Prefix, string Hash) Generate()
    {
        var key = "tp_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (key, key[..10], Hash(key));
    }

    // A fast hash is enough: keys carry 256 bits of entropy, so there is nothing to brute-force.
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The unrevoked workspace key with this secret, across workspaces (the caller is not scoped yet).</summary>
    public static Task<ApiKeyMatch?> FindActiveAsync(TouchpointDb db, string presented, CancellationToken ct)
    {
        var hash = Hash(presented);
        return db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null)
            .Select(k => new ApiKeyMatch(k.WorkspaceId, k.Id, k.Name))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>Whether a key found earlier (e.g. at dashboard login) is still unrevoked.</summary>
    public static Task<bool> IsActiveAsync(TouchpointDb db, Guid workspaceId, Guid keyId, CancellationToken ct) =>
        db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .AnyAsync(k => k.WorkspaceId == workspaceId && k.Id == keyId && k.RevokedAt == null, ct);
}

public sealed record ApiKeyMatch(Guid WorkspaceId, Guid Id, string Name);

public static class CurrentWorkspace
{
    public static Guid WorkspaceId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ApiKeyAuthentication.WorkspaceClaim)
            ?? throw new InvalidOperationException("Not a workspace principal."));
}
