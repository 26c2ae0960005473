using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Campaigns;

/// <summary>
/// The one place enrollments change state: every change goes through <see cref="EnrollmentStateMachine"/>, is
/// stored as a <see cref="CampaignTransition"/> with its cause, and lands on the contact's timeline with the
/// table's score delta. Inbound effects (replies, STOP, review) and the touch orchestrator call it. Methods add
/// rows to the caller's unit of work and do not save; queries name the workspace because webhooks and jobs may
/// run without a request scope.
/// </summary>
public sealed class EnrollmentSignals(TouchpointDb db, TimeProvider clock)
{
    /// <summary>Applies <paramref name="cause"/>; a refused transition changes nothing and is returned as refused.</summary>
    public EnrollmentTransition Apply(Enrollment enrollment, EnrollmentCause cause, string actor, object? detail = null,
        EnrollmentState? target = null, string? stoppedReason = null)
    {
        var transition = EnrollmentStateMachine.Apply(enrollment.State, cause, target);
        if (!transition.Changed) return transition;
        var now = Now();
        enrollment.State = transition.To;
        enrollment.UpdatedAt = now;
        if (transition.IsTerminal)
        {
            enrollment.NextActionAt = null;
            enrollment.StoppedReason = stoppedReason ?? WireName.Of(cause);
        }
        var detailJson = JsonSerializer.Serialize(detail ?? new { }, JsonSerializerOptions.Web);
        db.CampaignTransitions.Add(new CampaignTransition
        {
            WorkspaceId = enrollment.WorkspaceId, EnrollmentId = enrollment.Id, CampaignId = enrollment.CampaignId,
            ContactId = enrollment.ContactId, FromState = transition.From, ToState = transition.To, Cause = WireName.Of(cause),
            Actor = actor, DetailJson = detailJson, CreatedAt = now,
        });
        var memory = TimelineEvents.New(enrollment.WorkspaceId, enrollment.ContactId, "ENROLLMENT_" + WireName.Of(transition.To), actor, null,
            new { enrollmentId = enrollment.Id, campaignId = enrollment.CampaignId, from = WireName.Of(transition.From), cause = WireName.Of(cause), detail },
            now);
        memory.ScoreDelta = transition.ScoreDelta;
        db.MemoryEvents.Add(memory);
        return transition;
    }

    /// <summary>A reply on <paramref name="channel"/>: every live enrollment of the contact becomes ENGAGED.</summary>
    public async Task<IReadOnlyList<Enrollment>> ContactRepliedAsync(Guid workspaceId, Guid contactId, Channel channel,
        Guid? inboundMessageId, CancellationToken ct)
    {
        var live = await LiveEnrollmentsAsync(workspaceId, contactId, ct);
        foreach (var enrollment in live)
            Apply(enrollment, EnrollmentCause.ReplyReceived, "inbound", new { channel = WireName.Of(channel), inboundMessageId });
        return live;
    }

    /// <summary>
    /// A binding opt-out (STOP keyword, one-click unsubscribe, provider 21610) or a complaint on
    /// <paramref name="channel"/>: the contact's live enrollments whose plan uses that channel stop for good.
    /// A null channel stops every live enrollment of the contact.
    /// </summary>
    public async Task<IReadOnlyList<Enrollment>> ContactOptedOutAsync(Guid workspaceId, Guid contactId, Channel? channel,
        EnrollmentCause cause, string actor, object? detail, CancellationToken ct)
    {
        var live = await LiveEnrollmentsAsync(workspaceId, contactId, ct);
        var affected = channel is { } c ? await UsingChannelAsync(live, c, ct) : live;
        foreach (var enrollment in affected)
            Apply(enrollment, cause, actor, detail, stoppedReason: cause == EnrollmentCause.Complaint ? "complaint" : "opted_out");
        return affected;
    }

    /// <summary>Opt-out-like free text: the contact's live enrollments pause until a human looks; returns their ids.</summary>
    public async Task<IReadOnlyList<Guid>> PauseForReviewAsync(Guid workspaceId, Guid contactId, CancellationToken ct)
    {
        var live = await LiveEnrollmentsAsync(workspaceId, contactId, ct);
        var now = Now();
        var paused = new List<Guid>();
        foreach (var enrollment in live.Where(e => !e.Paused))
        {
            enrollment.Paused = true;
            enrollment.UpdatedAt = now;
            paused.Add(enrollment.Id);
        }
        return paused;
    }

    /// <summary>A reviewer decided the text was not an opt-out: the paused enrollments continue where they were.</summary>
    public async Task ResumeAfterReviewAsync(Guid workspaceId, IReadOnlyCollection<Guid> enrollmentIds, CancellationToken ct)
    {
        var now = Now();
        var rows = await db.Enrollments.IgnoreQueryFilters()
            .Where(e => e.WorkspaceId == workspaceId && enrollmentIds.Contains(e.Id) && e.Paused).ToListAsync(ct);
        foreach (var enrollment in rows)
        {
            enrollment.Paused = false;
            enrollment.UpdatedAt = now;
        }
    }

    Task<List<Enrollment>> LiveEnrollmentsAsync(Guid workspaceId, Guid contactId, CancellationToken ct) =>
        db.Enrollments.IgnoreQueryFilters()
            .Where(e => e.WorkspaceId == workspaceId && e.ContactId == contactId && !Terminal.Contains(e.State))
            .ToListAsync(ct);

    static readonly EnrollmentState[] Terminal = [.. Enum.GetValues<EnrollmentState>().Where(EnrollmentStates.IsTerminal)];

    async Task<List<Enrollment>> UsingChannelAsync(List<Enrollment> enrollments, Channel channel, CancellationToken ct)
    {
        if (enrollments.Count == 0) return enrollments;
        var versions = enrollments.Select(e => e.PlanVersionId).Distinct().ToList();
        var steps = await db.CampaignSteps.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.WorkspaceId == enrollments[0].WorkspaceId && versions.Contains(s.PlanVersionId))
            .Select(s => new { s.PlanVersionId, s.Channel, s.FallbackJson }).ToListAsync(ct);
        var channelsByVersion = steps.GroupBy(s => s.PlanVersionId).ToDictionary(g => g.Key,
            g => g.SelectMany(s => StepChannels(s.Channel, s.FallbackJson)).ToHashSet());
        return [.. enrollments.Where(e => channelsByVersion.TryGetValue(e.PlanVersionId, out var used) && used.Contains(channel))];
    }

    static IEnumerable<Channel> StepChannels(Channel channel, string fallbackJson)
    {
        yield return channel;
        var routing = JsonSerializer.Deserialize<FallbackRouting>(fallbackJson, Domain.Campaigns.PlanHash.JsonOptions);
        foreach (var c in routing?.Order ?? []) yield return c;
    }

    DateTimeOffset Now() => clock.GetUtcNow().ToUniversalTime();
}
