using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Touchpoint.Data.Entities;

namespace Touchpoint.Data.Configurations;

sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.IsWorkspaceRow("campaigns");
        b.Property(c => c.Name).HasMaxLength(200);
        b.HasIndex(c => new { c.WorkspaceId, c.Status });
    }
}

sealed class CampaignPlanVersionConfiguration : IEntityTypeConfiguration<CampaignPlanVersion>
{
    public void Configure(EntityTypeBuilder<CampaignPlanVersion> b)
    {
        b.IsWorkspaceRow("campaign_plan_versions").BelongsTo<CampaignPlanVersion, Campaign>("CampaignId");
        b.Property(p => p.PlanHash).HasMaxLength(64);
        b.HasIndex(p => new { p.WorkspaceId, p.CampaignId, p.Version }).IsUnique();
    }
}

sealed class CampaignStepConfiguration : IEntityTypeConfiguration<CampaignStep>
{
    public void Configure(EntityTypeBuilder<CampaignStep> b)
    {
        b.IsWorkspaceRow("campaign_steps").BelongsTo<CampaignStep, CampaignPlanVersion>("PlanVersionId");
        b.HasIndex(s => new { s.WorkspaceId, s.PlanVersionId, s.StepIndex }).IsUnique();
    }
}

sealed class EnrollmentConfiguration : IEntityTypeConfiguration<Enrollment>
{
    public void Configure(EntityTypeBuilder<Enrollment> b)
    {
        b.IsWorkspaceRow("enrollments")
            .BelongsTo<Enrollment, Campaign>("CampaignId")
            .BelongsTo<Enrollment, Contact>("ContactId")
            .BelongsTo<Enrollment, CampaignPlanVersion>("PlanVersionId", DeleteBehavior.Restrict);
        b.HasIndex(e => new { e.WorkspaceId, e.CampaignId, e.ContactId }).IsUnique();
        b.HasIndex(e => new { e.WorkspaceId, e.CampaignId, e.State });
        b.HasIndex(e => e.NextActionAt);
        b.Property(e => e.Version).IsConcurrencyToken();
    }
}

sealed class CampaignTransitionConfiguration : IEntityTypeConfiguration<CampaignTransition>
{
    public void Configure(EntityTypeBuilder<CampaignTransition> b)
    {
        b.IsWorkspaceRow("campaign_transitions").BelongsTo<CampaignTransition, Enrollment>("EnrollmentId");
        b.HasIndex(t => new { t.WorkspaceId, t.EnrollmentId, t.CreatedAt });
    }
}

sealed class PolicyDecisionConfiguration : IEntityTypeConfiguration<PolicyDecision>
{
    public void Configure(EntityTypeBuilder<PolicyDecision> b)
    {
        b.IsWorkspaceRow("policy_decisions").BelongsTo<PolicyDecision, Contact>("ContactId");
        b.Property(d => d.ReasonCode).HasMaxLength(64);
        b.HasIndex(d => new { d.WorkspaceId, d.ContactId, d.CreatedAt });
        b.HasIndex(d => new { d.WorkspaceId, d.EnrollmentId, d.CreatedAt });
        b.HasIndex(d => new { d.WorkspaceId, d.ReasonCode, d.CreatedAt });
    }
}

sealed class StrategyVersionConfiguration : IEntityTypeConfiguration<StrategyVersion>
{
    public void Configure(EntityTypeBuilder<StrategyVersion> b)
    {
        b.IsWorkspaceRow("strategy_versions");
        b.HasIndex(s => new { s.WorkspaceId, s.VersionNumber }).IsUnique();
        // Exactly one ACTIVE strategy per workspace.
        b.HasIndex(s => s.WorkspaceId).IsUnique().HasFilter("status = 'ACTIVE'").HasDatabaseName("ux_strategy_versions_one_active");
    }
}
