using System.Text.Json.Serialization;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Orchestration;

[JsonConverter(typeof(JsonStringEnumConverter<TouchAction>))]
public enum TouchAction
{
    /// <summary>Submit a touch now on <see cref="TouchDecision.Channel"/> with <see cref="TouchDecision.Key"/>.</summary>
    [JsonStringEnumMemberName("send")] Send,
    /// <summary>Nothing to do before <see cref="TouchDecision.Until"/> (step delay, cooldown, reply window).</summary>
    [JsonStringEnumMemberName("wait")] Wait,
    /// <summary>A submitted touch has no outcome yet (queued, or scheduled for its allowed time).</summary>
    [JsonStringEnumMemberName("await_outcome")] AwaitOutcome,
    /// <summary>The sequence is over; <see cref="TouchDecision.Cause"/> (if any) moves the enrollment state.</summary>
    [JsonStringEnumMemberName("end")] End,
    /// <summary>Nothing will ever be due again (terminal state, or ended earlier).</summary>
    [JsonStringEnumMemberName("idle")] Idle,
}

/// <summary>What the orchestrator does next for one enrollment, with a stable snake_case reason.</summary>
public sealed record TouchDecision(
    TouchAction Action,
    string Reason,
    int Step,
    Channel? Channel = null,
    int Attempt = 0,
    string? Key = null,
    DateTimeOffset? Until = null,
    EnrollmentCause? Cause = null);

/// <summary>A step left without a touch: <c>expired</c> (StepExpiry) or <c>exhausted</c> (no channel left).</summary>
public sealed record StepNote(int Step, string Kind, string Detail, DateTimeOffset At);

/// <summary>The decision, the routing state to store with it, and the skipped steps to record.</summary>
public sealed record TouchPlan(TouchDecision Decision, TouchRouting Routing, IReadOnlyList<StepNote> Notes);

/// <summary>
/// Everything one decision depends on. <see cref="Reachable"/> = channels the contact has an address for
/// (the planner intersects them with the plan's allowed channels and removes dead ones).
/// </summary>
public sealed record TouchContext(
    Guid EnrollmentId,
    CampaignPlan Plan,
    EnrollmentState State,
    TouchRouting Routing,
    DateTimeOffset EnrolledAt,
    IReadOnlySet<Channel> Reachable,
    DateTimeOffset Now);
