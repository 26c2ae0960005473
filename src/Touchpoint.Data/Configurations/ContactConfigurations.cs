using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Data.Entities;

namespace Touchpoint.Data.Configurations;

sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.IsWorkspaceRow("contacts");
        b.Property(c => c.ExternalId).HasMaxLength(200);
        b.Property(c => c.Timezone).HasMaxLength(64);
        b.Property(c => c.Region).HasMaxLength(2);
        b.HasIndex(c => new { c.WorkspaceId, c.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL");
        b.HasIndex(c => new { c.WorkspaceId, c.Stage });
        b.HasMany(c => c.Channels).WithOne().HasForeignKey(ch => new { ch.WorkspaceId, ch.ContactId })
            .HasPrincipalKey(c => new { c.WorkspaceId, c.Id }).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class ContactChannelConfiguration : IEntityTypeConfiguration<ContactChannel>
{
    public void Configure(EntityTypeBuilder<ContactChannel> b)
    {
        b.IsWorkspaceRow("contact_channels");
        b.Property(c => c.Value).HasMaxLength(320);
        b.HasIndex(c => new { c.WorkspaceId, c.ContactId, c.Kind, c.Value }).IsUnique();
        // Inbound replies are matched to contacts by normalized address.
        b.HasIndex(c => new { c.WorkspaceId, c.Value });
    }
}

sealed class ConsentConfiguration : IEntityTypeConfiguration<Consent>
{
    public void Configure(EntityTypeBuilder<Consent> b)
    {
        b.IsWorkspaceRow("consents").BelongsTo<Consent, Contact>("ContactId");
        b.HasIndex(c => new { c.WorkspaceId, c.ContactId, c.Channel }).IsUnique();
        b.HasIndex(c => new { c.WorkspaceId, c.Channel, c.Status });
    }
}

sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> b)
    {
        b.IsWorkspaceRow("consent_records").BelongsTo<ConsentRecord, Contact>("ContactId");
        b.HasIndex(c => new { c.WorkspaceId, c.ContactId, c.Channel, c.CapturedAt });
    }
}

sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> b)
    {
        b.IsWorkspaceRow("suppressions").BelongsTo<Suppression, Contact>("ContactId");
        b.Property(s => s.Value).HasMaxLength(320);
        b.HasIndex(s => new { s.WorkspaceId, s.Value });
        b.HasIndex(s => new { s.WorkspaceId, s.ContactId });
    }
}

sealed class OutreachAttestationConfiguration : IEntityTypeConfiguration<OutreachAttestation>
{
    public void Configure(EntityTypeBuilder<OutreachAttestation> b)
    {
        b.IsWorkspaceRow("outreach_attestations");
        b.HasIndex(a => new { a.WorkspaceId, a.ExpiresAt });
    }
}

sealed class MemoryEventConfiguration : IEntityTypeConfiguration<MemoryEvent>
{
    public void Configure(EntityTypeBuilder<MemoryEvent> b)
    {
        // Partitioned by month on PostgreSQL: the partition key must be part of the primary key.
        b.ToTable("memory_events");
        b.HasKey(e => new { e.WorkspaceId, e.Id, e.CreatedAt });
        b.Property(e => e.EventType).HasMaxLength(64);
        b.Property(e => e.Source).HasMaxLength(64);
        b.HasIndex(e => new { e.WorkspaceId, e.ContactId, e.CreatedAt });
        b.HasIndex(e => new { e.WorkspaceId, e.EventType, e.CreatedAt });
    }
}

sealed class EmailValidationResultConfiguration : IEntityTypeConfiguration<EmailValidationResult>
{
    public void Configure(EntityTypeBuilder<EmailValidationResult> b)
    {
        b.IsWorkspaceRow("email_validation_results");
        b.Property(e => e.Email).HasMaxLength(320);
        b.HasIndex(e => new { e.WorkspaceId, e.Email }).IsUnique();
    }
}
