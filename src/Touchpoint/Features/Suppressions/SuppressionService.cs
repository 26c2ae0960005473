using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Suppressions;

/// <summary>
/// Adds and lifts suppressions. Rows are never deleted (the audit must show what blocked a send and when);
/// lifting an opt-out needs a newer opt-in, because only the person can undo their own opt-out.
/// Reused by webhooks (bounces, complaints) and inbound STOP keywords.
/// </summary>
public sealed class SuppressionService(TouchpointDb db, TimeProvider clock)
{
    /// <summary>
    /// Adds a suppression, or returns the identical active one (so repeated bounces do not pile up).
    /// Errors are keyed by request field (<c>contactId</c>, <c>value</c>).
    /// </summary>
    public async Task<(Suppression? Suppression, bool Created, FieldErrors Errors)> AddAsync(
        Guid workspaceId, SuppressionInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        string? value = null;
        if (input.ContactId is { } contactId)
        {
            if (!await db.Contacts.AnyAsync(c => c.WorkspaceId == workspaceId && c.Id == contactId, ct))
                errors.Add("contactId", $"no contact {contactId} in this workspace.");
        }
        else
        {
            var region = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.DefaultRegion).SingleAsync(ct);
            (value, var error) = NormalizeAddress(input.Value, input.Channel, region);
            if (error is not null) errors.Add("value", error);
        }
        if (errors.Count > 0) return (null, false, errors);

        var now = clock.GetUtcNow();
        var existing = await db.Suppressions.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId && s.RemovedAt == null
            && s.ContactId == input.ContactId && s.Value == value && s.Channel == input.Channel && s.Reason == input.Reason
            && (s.ExpiresAt == null || s.ExpiresAt > now), ct);
        if (existing is not null) return (existing, false, errors);

        var suppression = new Suppression
        {
            WorkspaceId = workspaceId, ContactId = input.ContactId, Value = value, Channel = input.Channel,
            Reason = input.Reason, Note = input.Note, CreatedBy = input.CreatedBy,
            ExpiresAt = input.ExpiresAt?.ToUniversalTime(), CreatedAt = now, UpdatedAt = now,
        };
        db.Suppressions.Add(suppression);
        foreach (var contact in await ContactsConcernedAsync(suppression, ct))
            db.MemoryEvents.Add(TimelineEvents.New(workspaceId, contact, TimelineEvents.SuppressionAdded, input.CreatedBy ?? "api",
                input.Channel, new { suppressionId = suppression.Id, reason = WireName.Of(input.Reason), value, note = input.Note }, now));
        await db.SaveChangesAsync(ct);
        return (suppression, true, errors);
    }

    public async Task<List<Suppression>> ListAsync(Guid workspaceId, Guid? contactId, string? value, SuppressionReason? reason,
        bool includeRemoved, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var query = db.Suppressions.AsNoTracking().Where(s => s.WorkspaceId == workspaceId);
        if (!includeRemoved) query = query.Where(s => s.RemovedAt == null && (s.ExpiresAt == null || s.ExpiresAt > now));
        if (reason is { } r) query = query.Where(s => s.Reason == r);
        if (contactId is { } id)
        {
            // A contact is covered by its own suppressions and by those on any of its addresses.
            var values = await db.ContactChannels.Where(c => c.ContactId == id).Select(c => c.Value).ToListAsync(ct);
            query = query.Where(s => s.ContactId == id || (s.Value != null && values.Contains(s.Value)));
        }
        if (!string.IsNullOrWhiteSpace(value))
        {
            var region = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.DefaultRegion).SingleAsync(ct);
            var normalized = NormalizeAddress(value, null, region).Value ?? value.Trim();
            query = query.Where(s => s.Value == normalized || s.Value == value.Trim());
        }
        return await query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToListAsync(ct);
    }

    public async Task<RemoveOutcome> RemoveAsync(Guid id, string removedBy, CancellationToken ct)
    {
        var suppression = await db.Suppressions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (suppression is null) return RemoveOutcome.NotFound;
        if (suppression.RemovedAt is not null) return RemoveOutcome.Removed;

        var contacts = await ContactsConcernedAsync(suppression, ct);
        if (suppression.Reason == SuppressionReason.OptedOut && !await OptedInSinceAsync(suppression, contacts, ct))
            return RemoveOutcome.NeedsNewOptIn;

        var now = clock.GetUtcNow();
        suppression.RemovedAt = now;
        suppression.UpdatedAt = now;
        foreach (var contact in contacts)
            db.MemoryEvents.Add(TimelineEvents.New(suppression.WorkspaceId, contact, TimelineEvents.SuppressionRemoved, removedBy,
                suppression.Channel, new { suppressionId = suppression.Id, reason = WireName.Of(suppression.Reason), suppression.Value }, now));
        await db.SaveChangesAsync(ct);
        return RemoveOutcome.Removed;
    }

    /// <summary>The contact named by the suppression, or every contact holding its address.</summary>
    async Task<List<Guid>> ContactsConcernedAsync(Suppression s, CancellationToken ct)
    {
        if (s.ContactId is { } id) return [id];
        var query = db.ContactChannels.Where(c => c.WorkspaceId == s.WorkspaceId && c.Value == s.Value);
        if (s.Channel is { } channel) query = query.Where(c => c.Kind == channel);
        return await query.Select(c => c.ContactId).Distinct().ToListAsync(ct);
    }

    async Task<bool> OptedInSinceAsync(Suppression s, List<Guid> contacts, CancellationToken ct)
    {
        if (contacts.Count == 0) return false;
        var query = db.ConsentRecords.Where(r => r.WorkspaceId == s.WorkspaceId && contacts.Contains(r.ContactId)
            && r.Status == ConsentStatus.OptIn && r.CapturedAt > s.CreatedAt);
        if (s.Channel is { } channel) query = query.Where(r => r.Channel == channel);
        return await query.AnyAsync(ct);
    }

    /// <summary>Normalizes with the channel when given, else guesses: an '@' means e-mail, anything else a phone.</summary>
    public static (string? Value, string? Error) NormalizeAddress(string? raw, Channel? channel, string region)
    {
        if (string.IsNullOrWhiteSpace(raw)) return (null, "is required.");
        var kind = channel ?? (raw.Contains('@', StringComparison.Ordinal) ? Channel.Email : Channel.Sms);
        return ChannelAddress.Normalize(kind, raw, region);
    }
}
