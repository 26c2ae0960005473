using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Data.Entities;

namespace Touchpoint.Features.Audit;

public sealed record AuditView(Guid Id, string Actor, string Action, string? Target, JsonElement Detail, DateTimeOffset CreatedAt);

/// <summary>
/// Records operator actions (who = key prefix and name, never the key; what; on what; details) in the
/// append-only <c>audit_log</c>. Each entry is saved at once, after the action it describes has been saved.
/// </summary>
public sealed class AuditLog(TouchpointDb db, TimeProvider clock, IHttpContextAccessor http)
{
    public async Task RecordAsync(string action, string? target, object? detail, CancellationToken ct)
    {
        var user = http.HttpContext?.User;
        var workspaceId = user?.WorkspaceId() ?? throw new InvalidOperationException("Audit entries belong to a workspace request.");
        db.AuditLog.Add(new AuditEntry
        {
            WorkspaceId = workspaceId, Actor = user.Actor(), Action = action, Target = target,
            DetailJson = JsonSerializer.Serialize(detail ?? new { }, JsonSerializerOptions.Web), CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<List<AuditView>> ListAsync(int limit, CancellationToken ct)
    {
        var rows = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .Take(limit).ToListAsync(ct);
        return [.. rows.Select(a => new AuditView(a.Id, a.Actor, a.Action, a.Target, JsonSerializer.Deserialize<JsonElement>(a.DetailJson), a.CreatedAt))];
    }
}

/// <summary>Action names in the audit log.</summary>
public static class AuditActions
{
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string CampaignStatusChanged = "campaign.status_changed";
    public const string ContactsEnrolled = "campaign.enrolled";
    public const string CommandExecuted = "command.executed";
}
