using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Consent;

/// <summary>
/// Records consent statements. Each one is appended to the history, becomes the current state and lands on
/// the contact's timeline in one SaveChanges, so the three can never disagree. Reused by inbound keywords.
/// </summary>
public sealed class ConsentService(TouchpointDb db, TimeProvider clock)
{
    /// <summary>Null when the contact does not exist (or belongs to another workspace when scoped).</summary>
    public async Task<ConsentRecord?> RecordAsync(Guid contactId, Channel channel, ConsentStatus status, string source,
        string? policyVersion, string? evidenceJson, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryRecordAsync(contactId, channel, status, source, policyVersion, evidenceJson, ct);
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && UniqueViolation.Is(e))
            {
                // A concurrent first statement for this contact and channel created the current-state row between
                // our read and our insert: forget what we staged and write again, now as an update of that row.
                db.ChangeTracker.Clear();
            }
        }
    }

    const int MaxAttempts = 3;

    async Task<ConsentRecord?> TryRecordAsync(Guid contactId, Channel channel, ConsentStatus status, string source,
        string? policyVersion, string? evidenceJson, CancellationToken ct)
    {
        var workspaceId = await db.Contacts.Where(c => c.Id == contactId).Select(c => (Guid?)c.WorkspaceId).FirstOrDefaultAsync(ct);
        if (workspaceId is not { } ws) return null;

        var now = clock.GetUtcNow();
        var record = new ConsentRecord
        {
            WorkspaceId = ws, ContactId = contactId, Channel = channel, Status = status, Source = source,
            CapturedAt = now, PolicyVersion = policyVersion, EvidenceJson = evidenceJson ?? "{}", CreatedAt = now,
        };
        db.ConsentRecords.Add(record);

        var current = await db.Consents.FirstOrDefaultAsync(c => c.WorkspaceId == ws && c.ContactId == contactId && c.Channel == channel, ct);
        if (current is null)
        {
            current = new Data.Entities.Consent { WorkspaceId = ws, ContactId = contactId, Channel = channel, CreatedAt = now };
            db.Consents.Add(current);
        }
        current.Status = status;
        current.Source = source;
        current.CapturedAt = now;
        current.PolicyVersion = policyVersion;
        current.LatestRecordId = record.Id;
        current.UpdatedAt = now;
        // Write the whole current-state row, not only the columns that differ from what we read: with two concurrent
        // statements, a partial UPDATE could keep the other's status next to our record id.
        if (db.Entry(current).State != EntityState.Added) db.Entry(current).State = EntityState.Modified;

        db.MemoryEvents.Add(TimelineEvents.New(ws, contactId, TimelineEvents.ConsentChanged, source, channel,
            new { status = WireName.Of(status), source, policyVersion, recordId = record.Id }, now));
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>Null when the contact does not exist; otherwise every statement for the channel, newest first.</summary>
    public async Task<List<ConsentRecord>?> HistoryAsync(Guid contactId, Channel channel, CancellationToken ct)
    {
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId, ct)) return null;
        // Ties on the instant (a manual clock that did not move) fall back to the UUIDv7 id.
        return await db.ConsentRecords.AsNoTracking()
            .Where(r => r.ContactId == contactId && r.Channel == channel)
            .OrderByDescending(r => r.CapturedAt).ThenByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .ToListAsync(ct);
    }
}
