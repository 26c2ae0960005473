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
    TouchpointDb db, IConfiguration config, AuthFailureThrottle throttle, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string WorkspaceClaim = "touchpoint:workspace";
    public const string KeyIdClaim = "touchpoint:key_id";
    public const string KeyPrefixClaim = "touchpoint:key_prefix";
    public const string AdminRole = "admin";
    public const string AdminPolicy = "admin";
    public const string WorkspacePolicy = "workspace";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var presented = header["Bearer ".Length..].Trim();
        if (presented.Length == 0) return Failed("Empty bearer token.");

        var adminKey = config["Touchpoint:AdminApiKey"];
        if (!string.IsNullOrEmpty(adminKey) && FixedTimeEquals(presented, adminKey))
            return Success(new Claim(ClaimTypes.Role, AdminRole), new Claim(ClaimTypes.Name, "admin"));

        var key = await ApiKeys.FindActiveAsync(db, presented, Context.RequestAborted);
        if (key is null) return Failed("Unknown or revoked API key.");

        // last_used_at is coarse (a minute) so that a busy key does not turn every read into a write.
        var now = clock.GetUtcNow();
        if (key.LastUsedAt is not { } used || now - used > LastUsedResolution)
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.WorkspaceId == key.WorkspaceId && k.Id == key.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);

        db.Scope.Enter(key.WorkspaceId);
        return Success(new Claim(WorkspaceClaim, key.WorkspaceId.ToString()), new Claim(ClaimTypes.Name, $"key:{key.Name}"),
            new Claim(KeyIdClaim, key.Id.ToString()), new Claim(KeyPrefixClaim, key.Prefix));
    }

    static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Counts the failure against the caller's address (see <see cref="AuthFailureThrottle"/>); never echoes the key.</summary>
    AuthenticateResult Failed(string reason)
    {
        throttle.RecordFailure(Context);
        return AuthenticateResult.Fail(reason);
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
            .Select(k => new ApiKeyMatch(k.WorkspaceId, k.Id, k.Name, k.Prefix, k.LastUsedAt))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>Whether a key found earlier (e.g. at dashboard login) is still unrevoked.</summary>
    public static Task<bool> IsActiveAsync(TouchpointDb db, Guid workspaceId, Guid keyId, CancellationToken ct) =>
        db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .AnyAsync(k => k.WorkspaceId == workspaceId && k.Id == keyId && k.RevokedAt == null, ct);
}

public sealed record ApiKeyMatch(Guid WorkspaceId, Guid Id, string Name, string Prefix, DateTimeOffset? LastUsedAt);

public static class CurrentWorkspace
{
    /// <summary>Who did it, for the audit log: the key's prefix and name (never the key), or "admin".</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthentication.KeyPrefixClaim) is { } prefix
            ? $"{prefix}… ({user.FindFirstValue(ClaimTypes.Name)?.Replace("key:", "", StringComparison.Ordinal)})"
            : user.FindFirstValue(ClaimTypes.Name) ?? "anonymous";

    public static Guid? ApiKeyId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ApiKeyAuthentication.KeyIdClaim), out var id) ? id : null;

    public static Guid WorkspaceId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ApiKeyAuthentication.WorkspaceClaim)
            ?? throw new InvalidOperationException("Not a workspace principal."));
}
