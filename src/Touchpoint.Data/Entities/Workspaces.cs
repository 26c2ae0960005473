using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Data.Entities;

public sealed class Workspace
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public string Timezone { get; set; } = "UTC";
    public string DefaultRegion { get; set; } = "US";
    public BudgetTier BudgetTier { get; set; } = BudgetTier.Green;
    public bool DryRun { get; set; }
    /// <summary>channel → test address; when set every message of that channel goes there instead.</summary>
    public string QaSinkJson { get; set; } = "{}";
    public string? HelpText { get; set; }
    public string? OptOutConfirmation { get; set; }
    public bool CreateContactsFromUnknownSenders { get; set; } = true;
    public string SettingsJson { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A workspace API key; only its SHA-256 hash is stored, the key is shown once.</summary>
public sealed class ApiKey : WorkspaceRow
{
    public required string Name { get; set; }
    /// <summary>First characters of the key, so an operator can tell keys apart without the secret.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// A stored response for an <c>Idempotency-Key</c> header (ARCHITECTURE §8). <see cref="StatusCode"/> 0 marks a
/// first request still running; only 2xx outcomes are ever kept. The body is kept as text (not jsonb) so a
/// replay returns it byte for byte.
/// </summary>
public sealed class IdempotencyRecord : WorkspaceRow
{
    public required string Key { get; set; }
    public required string Method { get; set; }
    public required string Path { get; set; }
    /// <summary>SHA-256 of the raw request body, hex.</summary>
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public string? ResponseBody { get; set; }
    public string? ResponseContentType { get; set; }
    public string? ResponseLocation { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>Operator actions, kept for audit.</summary>
public sealed class AuditEntry : WorkspaceFact
{
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Target { get; set; }
    public string DetailJson { get; set; } = "{}";
}

/// <summary>Provider chosen per channel; secrets are stored encrypted and never returned.</summary>
public sealed class ProviderSetting : WorkspaceRow
{
    public Channel Channel { get; set; }
    public required string Provider { get; set; }
    public string SettingsJson { get; set; } = "{}";
    public string? ProtectedSecrets { get; set; }
}

/// <summary>A natural-language or structured command run through Command OS, with its result.</summary>
public sealed class CommandRun : WorkspaceRow
{
    public required string Text { get; set; }
    public string? Intent { get; set; }
    public string ArgumentsJson { get; set; } = "{}";
    public required string Status { get; set; }
    public string? ResultJson { get; set; }
    public string? Actor { get; set; }
    /// <summary>How sure the resolver was, 0..1; "offline" or "llm" in <see cref="ResolvedBy"/>.</summary>
    public double Confidence { get; set; }
    public string? ResolvedBy { get; set; }
    /// <summary>SHA-256 of the one-time token a mutating command waits for; cleared once used.</summary>
    public string? ConfirmTokenHash { get; set; }
    public DateTimeOffset? ConfirmExpiresAt { get; set; }
}
