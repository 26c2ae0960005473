using System.Text.Json;
using Campaign = Touchpoint.Data.Entities.Campaign;
using CampaignPlanVersion = Touchpoint.Data.Entities.CampaignPlanVersion;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Campaigns;

/// <summary><see cref="IsReactivation"/> marks the campaign the reactivation orchestrator re-enrolls contacts into.</summary>
public sealed record CampaignRequest(string? Name, string? Timezone, CampaignPolicy? Policy, List<CampaignStep>? Steps, bool? IsReactivation = null);

public sealed record CampaignView(
    Guid Id, string Name, CampaignStatus Status, string? Timezone, int PlanVersion, string PlanHash,
    CampaignPolicy Policy, IReadOnlyList<CampaignStep> Steps, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool IsReactivation)
{
    public static CampaignView From(Campaign c, CampaignPlanVersion v)
    {
        var plan = JsonSerializer.Deserialize<CampaignPlan>(v.PlanJson, Domain.Campaigns.PlanHash.JsonOptions)!;
        return new(c.Id, c.Name, c.Status, c.Timezone, v.Version, v.PlanHash, plan.Policy, plan.Steps, c.CreatedAt, c.UpdatedAt, c.IsReactivation);
    }
}

public sealed record EnrollRequest(List<Guid>? ContactIds);
public sealed record EnrollmentRejection(Guid ContactId, string Reason);
public sealed record EnrollResult(int Enrolled, int AlreadyEnrolled, List<EnrollmentRejection> Rejected);

public sealed record EnrollmentView(
    Guid Id, Guid ContactId, EnrollmentState State, int StepIndex, int Attempts, DateTimeOffset? NextActionAt,
    int PlanVersion, string? StoppedReason, DateTimeOffset CreatedAt, Channel? CurrentChannel, DateTimeOffset? LastAttemptAt,
    bool Paused, EnrollmentDecisionView? LastDecision);
