using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Leads;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Campaigns;

namespace Touchpoint.Features.Leads;

/// <summary>Reads the facts <see cref="LeadBrain"/> decides from, in a handful of queries for one contact.</summary>
public sealed class NextActionLoader(TouchpointDb db, TimeProvider clock)
{
    const int RecentEvents = 20;

    public async Task<LeadFacts?> LoadAsync(Guid contactId, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking().Include(c => c.Channels).FirstOrDefaultAsync(c => c.Id == contactId, ct);
        if (contact is null) return null;
        var now = clock.GetUtcNow().ToUniversalTime();
        var addresses = contact.Channels.Select(c => c.Value).ToList();

        var suppressions = await db.Suppressions.AsNoTracking()
            .Where(s => s.RemovedAt == null && s.Reason != SuppressionReason.None && (s.ExpiresAt == null || s.ExpiresAt > now)
                        && (s.ContactId == contactId || (s.Value != null && addresses.Contains(s.Value))))
            .Select(s => new { s.Value, s.Channel, s.Reason }).ToListAsync(ct);
        var optedOut = await db.Consents.AsNoTracking().Where(c => c.ContactId == contactId && c.Status == ConsentStatus.OptOut)
            .Select(c => c.Channel).ToListAsync(ct);
        var contactWide = suppressions.Where(s => s.Value is null && s.Channel is null).Select(s => WireName.Of(s.Reason)).Distinct().ToList();
        var blockedValues = suppressions.Where(s => s.Value is not null).Select(s => s.Value!).ToHashSet();
        var blockedChannels = suppressions.Where(s => s.Value is null && s.Channel is not null).Select(s => s.Channel!.Value).ToHashSet();
        var reachable = TouchOrchestrator.Reachable(contact.Channels.Where(c => !c.Dnc && !blockedValues.Contains(c.Value)).Select(c => c.Kind))
            .Where(c => !optedOut.Contains(c) && !blockedChannels.Contains(c)).Order().ToList();

        var enrollments = await db.Enrollments.AsNoTracking().Where(e => e.ContactId == contactId)
            .Join(db.Campaigns.AsNoTracking(), e => e.CampaignId, c => c.Id, (e, c) => new
            {
                e.Id, e.CampaignId, e.State, e.NextActionAt, e.CurrentChannel, e.Paused, e.PlanVersionId, e.StepIndex, c.Status,
            }).ToListAsync(ct);
        var versions = enrollments.Select(e => e.PlanVersionId).Distinct().ToList();
        var stepChannels = await db.CampaignSteps.AsNoTracking().Where(s => versions.Contains(s.PlanVersionId))
            .Select(s => new { s.PlanVersionId, s.StepIndex, s.Channel }).ToListAsync(ct);
        var open = enrollments.Where(e => !EnrollmentStates.IsTerminal(e.State)).Select(e => new OpenEnrollment(e.Id, e.CampaignId, e.State,
            e.NextActionAt, stepChannels.FirstOrDefault(s => s.PlanVersionId == e.PlanVersionId && s.StepIndex == e.StepIndex)?.Channel ?? e.CurrentChannel,
            e.Paused, e.Status == CampaignStatus.Active)).ToList();

        var lastInbound = await db.InboundMessages.AsNoTracking().Where(i => i.ContactId == contactId)
            .OrderByDescending(i => i.ReceivedAt).Select(i => new { i.ReceivedAt, i.Channel }).FirstOrDefaultAsync(ct);
        var events = await db.MemoryEvents.AsNoTracking().Where(m => m.ContactId == contactId)
            .OrderByDescending(m => m.CreatedAt).Take(RecentEvents)
            .Select(m => new LeadEvent(m.EventType, m.CreatedAt, m.ScoreDelta, m.Channel)).ToListAsync(ct);

        return new LeadFacts(now, contact.Stage, contactWide, optedOut, reachable, open,
            enrollments.Any(e => e.State == EnrollmentState.DoNotContact), contact.LastTouchAt, lastInbound?.ReceivedAt,
            lastInbound?.Channel, contact.ReactivationAfter, contact.FatigueScore, events);
    }
}
