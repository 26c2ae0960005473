using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Data.Entities;

namespace Touchpoint.Data.Configurations;

sealed class ScheduledActionConfiguration(bool isSqlite) : IEntityTypeConfiguration<ScheduledAction>
{
    public void Configure(EntityTypeBuilder<ScheduledAction> b)
    {
        // No FK to workspaces: system jobs (recurring ticks) run under the empty workspace id.
        b.ToTable("scheduled_actions");
        b.HasKey(a => new { a.WorkspaceId, a.Id });
        b.Property(a => a.Kind).HasMaxLength(64);
        b.Property(a => a.IdempotencyKey).HasMaxLength(300);
        b.HasIndex(a => new { a.WorkspaceId, a.IdempotencyKey }).IsUnique();
        // Only leased rows: the reaper finds expired leases without reading finished jobs. No status in it, so a
        // fenced completion cannot be planned over "every running row" (docs/decisions/0023).
        b.HasIndex(a => a.LockedUntil).HasFilter("locked_until IS NOT NULL");
        // Dead jobs are what operators look for (dashboard counts, the jobs list); written only when a job dies.
        b.HasIndex(a => new { a.WorkspaceId, a.CreatedAt }).HasFilter("status = 'dead'");
        // SQLite: the claim's order (priority DESC, run_at) under its status, so claiming walks the index instead of
        // sorting every due row. PostgreSQL claims through the partial ix_scheduled_actions_ready instead, and there a
        // status index costs one more entry per claim and completion and lured the generic plan of the completion into
        // a nested loop over all running rows.
        if (isSqlite) b.HasIndex(a => new { a.Status, a.Priority, a.RunAt }).IsDescending(false, true, false);
    }
}

sealed class OutboundMessageConfiguration : IEntityTypeConfiguration<OutboundMessage>
{
    public void Configure(EntityTypeBuilder<OutboundMessage> b)
    {
        b.IsWorkspaceRow("outbound_messages").BelongsTo<OutboundMessage, Contact>("ContactId");
        b.Property(m => m.IdempotencyKey).HasMaxLength(300);
        b.Property(m => m.Provider).HasMaxLength(32);
        b.Property(m => m.Cost).HasPrecision(12, 5);
        b.HasIndex(m => new { m.WorkspaceId, m.IdempotencyKey }).IsUnique();
        // Status callbacks find their message by the provider's id within the workspace; led by the workspace like every
        // tenant query, so SQLite's planner (no statistics) does not prefer an index on workspace_id alone and scan it.
        b.HasIndex(m => new { m.WorkspaceId, m.Provider, m.ProviderMessageId }).HasFilter("provider_message_id IS NOT NULL");
        b.HasIndex(m => new { m.WorkspaceId, m.ContactId, m.CreatedAt });
        b.HasIndex(m => new { m.WorkspaceId, m.Status });
    }
}

sealed class MessageEventConfiguration : IEntityTypeConfiguration<MessageEvent>
{
    public void Configure(EntityTypeBuilder<MessageEvent> b)
    {
        // Partitioned by month on PostgreSQL: the partition key must be part of the primary key.
        b.ToTable("message_events");
        b.HasKey(e => new { e.WorkspaceId, e.Id, e.CreatedAt });
        b.Property(e => e.EventType).HasMaxLength(64);
        b.HasIndex(e => new { e.WorkspaceId, e.MessageId, e.CreatedAt });
        b.HasIndex(e => new { e.WorkspaceId, e.CreatedAt });
        // Webhook dedupe looks events up by the provider's id: without it every batch read the workspace's whole history.
        b.HasIndex(e => new { e.WorkspaceId, e.Provider, e.ProviderEventId }).HasFilter("provider_event_id IS NOT NULL");
    }
}

sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.IsWorkspaceRow("webhook_deliveries");
        b.Property(w => w.Provider).HasMaxLength(32);
        b.Property(w => w.DedupeKey).HasMaxLength(300);
        b.HasIndex(w => new { w.WorkspaceId, w.Provider, w.DedupeKey }).IsUnique().HasFilter("dedupe_key IS NOT NULL");
        b.HasIndex(w => new { w.WorkspaceId, w.ReceivedAt });
        b.HasIndex(w => new { w.WorkspaceId, w.Outcome });
    }
}

sealed class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> b)
    {
        b.IsWorkspaceRow("inbound_messages");
        b.HasIndex(m => new { m.WorkspaceId, m.Channel, m.ProviderMessageId }).IsUnique().HasFilter("provider_message_id IS NOT NULL");
        b.HasIndex(m => new { m.WorkspaceId, m.ContactId, m.ReceivedAt });
        // Dedupe matches a provider message id on any channel, which the unique index above cannot seek without one.
        b.HasIndex(m => new { m.WorkspaceId, m.ProviderMessageId }).HasFilter("provider_message_id IS NOT NULL");
    }
}

sealed class ReviewItemConfiguration : IEntityTypeConfiguration<ReviewItem>
{
    public void Configure(EntityTypeBuilder<ReviewItem> b)
    {
        b.IsWorkspaceRow("review_items");
        b.HasIndex(r => new { r.WorkspaceId, r.Status, r.CreatedAt });
    }
}

sealed class SandboxOutboxItemConfiguration : IEntityTypeConfiguration<SandboxOutboxItem>
{
    public void Configure(EntityTypeBuilder<SandboxOutboxItem> b)
    {
        b.IsWorkspaceRow("sandbox_outbox");
        b.HasIndex(s => new { s.WorkspaceId, s.ContactId, s.SentAt });
        b.HasIndex(s => new { s.WorkspaceId, s.MessageId }).IsUnique();
    }
}

sealed class SenderIdentityConfiguration : IEntityTypeConfiguration<SenderIdentity>
{
    public void Configure(EntityTypeBuilder<SenderIdentity> b)
    {
        b.IsWorkspaceRow("sender_identities");
        b.HasIndex(s => new { s.WorkspaceId, s.Channel, s.Address }).IsUnique();
    }
}

sealed class SendRateLimitConfiguration : IEntityTypeConfiguration<SendRateLimit>
{
    public void Configure(EntityTypeBuilder<SendRateLimit> b)
    {
        b.IsWorkspaceRow("send_rate_limits");
        b.Property(s => s.Scope).HasMaxLength(32);
        b.Property(s => s.ScopeKey).HasMaxLength(255);
        b.HasIndex(s => new { s.WorkspaceId, s.Scope, s.ScopeKey }).IsUnique();
    }
}

sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> b)
    {
        b.IsWorkspaceRow("message_templates");
        b.Property(t => t.Key).HasMaxLength(128);
        b.Property(t => t.ProviderTemplate).HasMaxLength(256);
        b.Property(t => t.Language).HasMaxLength(16);
        b.HasIndex(t => new { t.WorkspaceId, t.Key }).IsUnique();
    }
}
