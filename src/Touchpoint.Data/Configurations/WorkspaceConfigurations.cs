using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Data.Entities;

namespace Touchpoint.Data.Configurations;

sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> b)
    {
        b.ToTable("workspaces");
        b.HasKey(w => w.Id);
        b.Property(w => w.Name).HasMaxLength(200);
        b.Property(w => w.Timezone).HasMaxLength(64);
        b.Property(w => w.DefaultRegion).HasMaxLength(2);
    }
}

sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.IsWorkspaceRow("api_keys");
        b.Property(k => k.Hash).HasMaxLength(64);
        b.Property(k => k.Prefix).HasMaxLength(16);
        b.HasIndex(k => k.Hash).IsUnique();
    }
}

sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.IsWorkspaceRow("idempotency_records");
        b.Property(r => r.Key).HasMaxLength(255);
        b.Property(r => r.Method).HasMaxLength(16);
        b.Property(r => r.Path).HasMaxLength(2048);
        b.Property(r => r.RequestHash).HasMaxLength(64);
        b.Property(r => r.ResponseContentType).HasMaxLength(256);
        b.Property(r => r.ResponseLocation).HasMaxLength(2048);
        // One row per key and workspace: the unique index is what lets exactly one of two concurrent first uses win.
        b.HasIndex(r => new { r.WorkspaceId, r.Key }).IsUnique();
    }
}

sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.IsWorkspaceRow("audit_log");
        b.HasIndex(a => new { a.WorkspaceId, a.CreatedAt });
    }
}

sealed class ProviderSettingConfiguration : IEntityTypeConfiguration<ProviderSetting>
{
    public void Configure(EntityTypeBuilder<ProviderSetting> b)
    {
        b.IsWorkspaceRow("provider_settings");
        b.HasIndex(p => new { p.WorkspaceId, p.Channel }).IsUnique();
    }
}

sealed class CommandRunConfiguration : IEntityTypeConfiguration<CommandRun>
{
    public void Configure(EntityTypeBuilder<CommandRun> b)
    {
        b.IsWorkspaceRow("command_runs");
        b.HasIndex(c => new { c.WorkspaceId, c.CreatedAt });
        b.Property(c => c.ResolvedBy).HasMaxLength(16);
        b.Property(c => c.ConfirmTokenHash).HasMaxLength(64);
        b.HasIndex(c => new { c.WorkspaceId, c.ConfirmTokenHash }).IsUnique().HasFilter("confirm_token_hash IS NOT NULL");
    }
}

/// <summary>Not a tenant row: one key ring for the deployment, read by every API and worker process.</summary>
sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.ToTable("data_protection_keys");
        b.HasKey(k => k.Id);
        b.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
