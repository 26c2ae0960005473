using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data.Configurations;
using Touchpoint.Data.Entities;

namespace Touchpoint.Data;

public sealed class TouchpointDb(DbContextOptions<TouchpointDb> options, WorkspaceScope scope) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>Read by the query filter on every tenant row; null means "not scoped" (trusted code only).</summary>
    internal Guid? ScopedWorkspaceId => scope.WorkspaceId;

    public WorkspaceScope Scope => scope;

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ProviderSetting> ProviderSettings => Set<ProviderSetting>();
    public DbSet<CommandRun> CommandRuns => Set<CommandRun>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactChannel> ContactChannels => Set<ContactChannel>();
    public DbSet<Consent> Consents => Set<Consent>();
    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<OutreachAttestation> Attestations => Set<OutreachAttestation>();
    public DbSet<MemoryEvent> MemoryEvents => Set<MemoryEvent>();
    public DbSet<EmailValidationResult> EmailValidationResults => Set<EmailValidationResult>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignPlanVersion> PlanVersions => Set<CampaignPlanVersion>();
    public DbSet<CampaignStep> CampaignSteps => Set<CampaignStep>();
    public DbSet<Enrollment> Enrollments => Set<Enrollment>();
    public DbSet<CampaignTransition> CampaignTransitions => Set<CampaignTransition>();
    public DbSet<PolicyDecision> PolicyDecisions => Set<PolicyDecision>();
    public DbSet<StrategyVersion> StrategyVersions => Set<StrategyVersion>();
    public DbSet<ScheduledAction> ScheduledActions => Set<ScheduledAction>();
    public DbSet<OutboundMessage> OutboundMessages => Set<OutboundMessage>();
    public DbSet<MessageEvent> MessageEvents => Set<MessageEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();
    public DbSet<ReviewItem> ReviewItems => Set<ReviewItem>();
    public DbSet<SandboxOutboxItem> SandboxOutbox => Set<SandboxOutboxItem>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<SenderIdentity> SenderIdentities => Set<SenderIdentity>();
    public DbSet<SendRateLimit> SendRateLimits => Set<SendRateLimit>();
    public DbSet<Board> Boards => Set<Board>();
    public DbSet<BoardColumn> BoardColumns => Set<BoardColumn>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ConversationMessage> ConversationMessages => Set<ConversationMessage>();
    public DbSet<ConversationMemoryVersion> ConversationMemoryVersions => Set<ConversationMemoryVersion>();
    public DbSet<TagEvent> TagEvents => Set<TagEvent>();
    public DbSet<AutomationRule> AutomationRules => Set<AutomationRule>();
    public DbSet<AutomationRun> AutomationRuns => Set<AutomationRun>();
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<ConversationThread> ConversationThreads => Set<ConversationThread>();
    public DbSet<ChatMessage> ChatMessages => Set<ChatMessage>();

    /// <summary>ASP.NET Core Data Protection key ring, shared by every process on one database (provider secrets).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var detect = RaiseEnrollmentVersions();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var detect = RaiseEnrollmentVersions();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// Every changed enrollment gets the next <see cref="Enrollment.Version"/> (its concurrency token). Changes are
    /// detected once here and not again by the save; returns the caller's auto-detect setting to restore.
    /// </summary>
    bool RaiseEnrollmentVersions()
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (detect) ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var entry in ChangeTracker.Entries<Enrollment>())
            if (entry.State == EntityState.Modified) entry.Property(e => e.Version).CurrentValue = entry.Entity.Version + 1;
        return detect;
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) =>
        StorageConventions.Apply(configuration, IsSqlite);

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfiguration(new WorkspaceConfiguration());
        model.ApplyConfiguration(new ApiKeyConfiguration());
        model.ApplyConfiguration(new IdempotencyRecordConfiguration());
        model.ApplyConfiguration(new AuditEntryConfiguration());
        model.ApplyConfiguration(new ProviderSettingConfiguration());
        model.ApplyConfiguration(new CommandRunConfiguration());
        model.ApplyConfiguration(new ContactConfiguration());
        model.ApplyConfiguration(new ContactChannelConfiguration());
        model.ApplyConfiguration(new ConsentConfiguration());
        model.ApplyConfiguration(new ConsentRecordConfiguration());
        model.ApplyConfiguration(new SuppressionConfiguration());
        model.ApplyConfiguration(new OutreachAttestationConfiguration());
        model.ApplyConfiguration(new MemoryEventConfiguration());
        model.ApplyConfiguration(new EmailValidationResultConfiguration());
        model.ApplyConfiguration(new CampaignConfiguration());
        model.ApplyConfiguration(new CampaignPlanVersionConfiguration());
        model.ApplyConfiguration(new CampaignStepConfiguration());
        model.ApplyConfiguration(new EnrollmentConfiguration());
        model.ApplyConfiguration(new CampaignTransitionConfiguration());
        model.ApplyConfiguration(new PolicyDecisionConfiguration());
        model.ApplyConfiguration(new StrategyVersionConfiguration());
        model.ApplyConfiguration(new ScheduledActionConfiguration(IsSqlite));
        model.ApplyConfiguration(new OutboundMessageConfiguration());
        model.ApplyConfiguration(new MessageEventConfiguration());
        model.ApplyConfiguration(new WebhookDeliveryConfiguration());
        model.ApplyConfiguration(new InboundMessageConfiguration());
        model.ApplyConfiguration(new ReviewItemConfiguration());
        model.ApplyConfiguration(new SandboxOutboxItemConfiguration());
        model.ApplyConfiguration(new SenderIdentityConfiguration());
        model.ApplyConfiguration(new SendRateLimitConfiguration());
        model.ApplyConfiguration(new BoardConfiguration());
        model.ApplyConfiguration(new BoardColumnConfiguration());
        model.ApplyConfiguration(new ConversationConfiguration());
        model.ApplyConfiguration(new ConversationMessageConfiguration());
        model.ApplyConfiguration(new ConversationMemoryVersionConfiguration());
        model.ApplyConfiguration(new TagEventConfiguration());
        model.ApplyConfiguration(new AutomationRuleConfiguration());
        model.ApplyConfiguration(new AutomationRunConfiguration());
        model.ApplyConfiguration(new AgentConfiguration());
        model.ApplyConfiguration(new ConversationThreadConfiguration());
        model.ApplyConfiguration(new ChatMessageConfiguration());
        model.ApplyConfiguration(new MessageTemplateConfiguration());
        model.ApplyConfiguration(new DataProtectionKeyConfiguration());

        StorageConventions.ApplyNames(model, IsSqlite);
        WorkspaceQueryFilter.Apply(model, this);
    }
}
