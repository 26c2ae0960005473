using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Campaigns;

/// <summary>
/// Bulk, idempotent enrollment per (campaign, contact): the contacts, their existing enrollments and their
/// contact-wide suppressions are read in a few set queries, then every new enrollment is inserted at once.
/// </summary>
public sealed class EnrollmentService(TouchpointDb db, TimeProvider clock)
{
    const int ChunkSize = 2000;

    public async Task<EnrollResult?> EnrollAsync(Guid campaignId, IReadOnlyList<Guid> contactIds, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null) return null;
        var version = await db.PlanVersions.AsNoTracking()
            .SingleAsync(v => v.CampaignId == campaignId && v.Version == campaign.CurrentPlanVersion, ct);
        var plan = JsonSerializer.Deserialize<CampaignPlan>(version.PlanJson, PlanHash.JsonOptions)!;
        var now = clock.GetUtcNow();
        var firstTouchAt = now + CadencePresets.DelayBeforeStep(plan, 0);

        int enrolled = 0, already = 0;
        var rejected = new List<EnrollmentRejection>();
        var previous = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var chunk in contactIds.Distinct().Chunk(ChunkSize))
            {
                var existingContacts = (await db.Contacts.AsNoTracking().Where(c => chunk.Contains(c.Id))
                    .Select(c => c.Id).ToListAsync(ct)).ToHashSet();
                var enrolledAlready = (await db.Enrollments.AsNoTracking()
                    .Where(e => e.CampaignId == campaignId && chunk.Contains(e.ContactId))
                    .Select(e => e.ContactId).ToListAsync(ct)).ToHashSet();
                var suppressed = await db.Suppressions.AsNoTracking()
                    .Where(s => s.ContactId != null && chunk.Contains(s.ContactId.Value) && s.Value == null && s.RemovedAt == null
                                && s.Reason != SuppressionReason.None && (s.ExpiresAt == null || s.ExpiresAt > now))
                    .Select(s => new { ContactId = s.ContactId!.Value, s.Reason }).ToListAsync(ct);
                var suppressedReason = suppressed.GroupBy(s => s.ContactId).ToDictionary(g => g.Key, g => g.First().Reason);

                foreach (var contactId in chunk)
                {
                    if (!existingContacts.Contains(contactId)) { rejected.Add(new(contactId, "contact_not_found")); continue; }
                    if (enrolledAlready.Contains(contactId)) { already++; continue; }
                    if (suppressedReason.TryGetValue(contactId, out var reason))
                    {
                        rejected.Add(new(contactId, $"suppressed:{WireName.Of(reason)}"));
                        continue;
                    }
                    var enrollment = new Enrollment
                    {
                        WorkspaceId = campaign.WorkspaceId, CampaignId = campaignId, ContactId = contactId,
                        PlanVersionId = version.Id, NextActionAt = firstTouchAt, CreatedAt = now, UpdatedAt = now,
                    };
                    db.Enrollments.Add(enrollment);
                    db.CampaignTransitions.Add(new CampaignTransition
                    {
                        WorkspaceId = campaign.WorkspaceId, EnrollmentId = enrollment.Id, CampaignId = campaignId,
                        ContactId = contactId, ToState = EnrollmentState.New, Cause = "enrolled", CreatedAt = now,
                    });
                    enrolled++;
                }
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = previous;
        }
        return new EnrollResult(enrolled, already, rejected);
    }
}
