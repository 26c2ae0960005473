using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Data.Entities;

public sealed class Campaign : WorkspaceRow
{
    public required string Name { get; set; }
    public CampaignStatus Status { get; set; } = CampaignStatus.Draft;
    public string? Timezone { get; set; }
    /// <summary>Caps, quiet hours, allowed channels, preset and interval overrides of the current plan.</summary>
    public string PolicyJson { get; set; } = "{}";
    public int CurrentPlanVersion { get; set; } = 1;
    public bool IsReactivation { get; set; }
    public DateTimeOffset? ActivatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>An immutable plan (policy + steps) with its canonical SHA-256 hash (seed 003 campaign_plan_versions).</summary>
public sealed class CampaignPlanVersion : WorkspaceFact
{
    public Guid CampaignId { get; set; }
    public int Version { get; set; }
    public required string PlanJson { get; set; }
    public required string PlanHash { get; set; }
    public string? CreatedBy { get; set; }
}

public sealed class CampaignStep : WorkspaceFact
{
    public Guid CampaignId { get; set; }
    public Guid PlanVersionId { get; set; }
    public int StepIndex { get; set; }
    public Channel Channel { get; set; }
    public string? Template { get; set; }
    public string? TemplateKey { get; set; }
    public int DelayMinutes { get; set; }
    /// <summary>Channel order, max attempts and cooldown minutes for fallback routing.</summary>
    public string FallbackJson { get; set; } = "{}";
    public List<string> StopOnEvents { get; set; } = [];
    public int? ExpiresAfterMinutes { get; set; }
    public string? Provider { get; set; }
}

/// <summary>A contact in a campaign (seed 000 campaign_contacts, 003 contact_campaigns).</summary>
public sealed class Enrollment : WorkspaceRow
{
    public Guid CampaignId { get; set; }
    public Guid ContactId { get; set; }
    public Guid PlanVersionId { get; set; }
    public EnrollmentState State { get; set; } = EnrollmentState.New;
    public int StepIndex { get; set; }
    public int AttemptsTotal { get; set; }
    public int FatigueScore { get; set; }
    public Channel? CurrentChannel { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? NextActionAt { get; set; }
    public string? StoppedReason { get; set; }
    public bool Paused { get; set; }
    public string RoutingJson { get; set; } = "{}";
    /// <summary>
    /// Raised by every save that changes the row (<see cref="TouchpointDb"/>) and checked by it: the sweep, a reply and a
    /// dispatch outcome each read, decide and write back, so the one that read an older version fails instead of
    /// writing over the other's state (a sweep putting ATTEMPTING back over STOPPED or ENGAGED).
    /// </summary>
    public int Version { get; set; }
}

/// <summary>Every enrollment state change with its cause (seed 003 campaign_transitions).</summary>
public sealed class CampaignTransition : WorkspaceFact
{
    public Guid EnrollmentId { get; set; }
    public Guid CampaignId { get; set; }
    public Guid ContactId { get; set; }
    public EnrollmentState? FromState { get; set; }
    public EnrollmentState ToState { get; set; }
    public required string Cause { get; set; }
    public string? Actor { get; set; }
    public string DetailJson { get; set; } = "{}";
}

/// <summary>A send attempt's evaluation; denials are recorded, never silent (seed 001 PolicyDecision).</summary>
public sealed class PolicyDecision : WorkspaceFact
{
    public Guid ContactId { get; set; }
    public Channel Channel { get; set; }
    public Guid? CampaignId { get; set; }
    public Guid? EnrollmentId { get; set; }
    public Guid? MessageId { get; set; }
    public bool AllowSend { get; set; }
    public required string ReasonCode { get; set; }
    public string RuleTraceJson { get; set; } = "[]";
    public DateTimeOffset? NextAllowedAt { get; set; }
    public DateTimeOffset EvaluatedAt { get; set; }
}

/// <summary>Tone, objectives and cadence the agents and campaigns follow; one ACTIVE per workspace (seed 001).</summary>
public sealed class StrategyVersion : WorkspaceRow
{
    public int VersionNumber { get; set; }
    public StrategyStatus Status { get; set; } = StrategyStatus.Draft;
    public string? Tone { get; set; }
    public string? Objectives { get; set; }
    public string? ObjectionHandling { get; set; }
    public string? CtaRules { get; set; }
    public FollowUpPreset FollowUpPreset { get; set; } = FollowUpPreset.Balanced;
    public string IntervalOverridesJson { get; set; } = "{}";
    public DateTimeOffset? ActivatedAt { get; set; }
}
