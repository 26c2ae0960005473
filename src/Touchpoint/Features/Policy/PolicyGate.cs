using System.Text.Json;
using NodaTime;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Policy;

/// <summary>
/// Every send attempt's gatekeeper: evaluates the policy engine on fresh inputs and records the decision
/// (allow or deny) so it can be proven later why a message was or was not sent.
/// </summary>
public sealed class PolicyGate(TouchpointDb db, PolicyRequestBuilder requests, TimeProvider clock)
{
    public async Task<PolicyVerdict?> EvaluateAsync(Guid contactId, Channel channel, MessagePurpose purpose,
        Guid? campaignId, DateTimeOffset? at, CancellationToken ct, Guid? evaluatedMessageId = null)
    {
        var request = await requests.BuildAsync(contactId, channel, purpose, campaignId, at ?? clock.GetUtcNow(), ct, evaluatedMessageId);
        return request is null ? null : PolicyEngine.Evaluate(request);
    }

    /// <summary>Evaluates and adds the PolicyDecision row to the unit of work; the caller saves it with its own changes.</summary>
    public async Task<(PolicyVerdict Verdict, PolicyDecision Row)?> DecideAsync(Guid workspaceId, Guid contactId, Channel channel,
        MessagePurpose purpose, Guid? campaignId, Guid? enrollmentId, Guid? messageId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var verdict = await EvaluateAsync(contactId, channel, purpose, campaignId, now, ct, messageId);
        if (verdict is null) return null;
        return (verdict, Record(workspaceId, contactId, channel, campaignId, enrollmentId, messageId, verdict, now));
    }

    /// <summary>Adds the decision row for a verdict evaluated elsewhere (a batch) to the unit of work.</summary>
    public PolicyDecision Record(Guid workspaceId, Guid contactId, Channel channel, Guid? campaignId, Guid? enrollmentId, Guid? messageId,
        PolicyVerdict verdict, DateTimeOffset now)
    {
        var row = Decision(workspaceId, contactId, channel, campaignId, enrollmentId, messageId, verdict, now);
        db.PolicyDecisions.Add(row);
        return row;
    }

    /// <summary>The decision row for a verdict, not yet added anywhere: a batch inserts its rows together.</summary>
    public static PolicyDecision Decision(Guid workspaceId, Guid contactId, Channel channel, Guid? campaignId, Guid? enrollmentId,
        Guid? messageId, PolicyVerdict verdict, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new PolicyDecision
        {
            WorkspaceId = workspaceId, ContactId = contactId, Channel = channel, CampaignId = campaignId,
            EnrollmentId = enrollmentId, MessageId = messageId, AllowSend = verdict.AllowSend, ReasonCode = verdict.ReasonCode,
            RuleTraceJson = JsonSerializer.Serialize(verdict.RuleTrace, JsonSerializerOptions.Web), NextAllowedAt = verdict.NextAllowedAt?.ToDateTimeOffset(),
            EvaluatedAt = now, CreatedAt = now,
        };
    }
}
