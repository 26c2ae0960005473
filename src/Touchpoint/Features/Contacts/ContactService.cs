using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Contacts;

public sealed class ContactService(TouchpointDb db, TimeProvider clock)
{
    public async Task<(Contact? Contact, FieldErrors Errors)> BuildAsync(Guid workspaceId, CreateContactRequest body, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.TimeZone("timezone", body.Timezone);
        errors.Region("region", body.Region);
        if (body.Attributes is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            errors.Add("attributes", "must be a JSON object.");
        if (body.ExternalId is { Length: > 200 }) errors.Add("externalId", "must be at most 200 characters.");

        var region = body.Region ?? await db.Workspaces.Where(w => w.Id == workspaceId)
            .Select(w => w.DefaultRegion).SingleAsync(ct);
        var now = clock.GetUtcNow();
        var contact = new Contact
        {
            WorkspaceId = workspaceId, ExternalId = string.IsNullOrWhiteSpace(body.ExternalId) ? null : body.ExternalId.Trim(),
            FirstName = body.FirstName?.Trim(), LastName = body.LastName?.Trim(), Timezone = body.Timezone,
            Region = body.Region?.ToUpperInvariant(), Tags = [.. (body.Tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct()],
            AttributesJson = body.Attributes is { ValueKind: JsonValueKind.Object } a ? a.GetRawText() : "{}",
            CreatedAt = now, UpdatedAt = now,
        };
        foreach (var input in ChannelInputs.Parse("channels", body.Channels, region, errors))
        {
            if (contact.Channels.Any(c => c.Kind == input.Kind && c.Value == input.Value)) continue;
            contact.Channels.Add(new ContactChannel
            {
                WorkspaceId = workspaceId, ContactId = contact.Id, Kind = input.Kind, Value = input.Value,
                IsPrimary = input.IsPrimary, Timezone = input.Timezone, CreatedAt = now, UpdatedAt = now,
            });
        }
        // One primary per kind: the first flagged one, else the first given.
        foreach (var group in contact.Channels.GroupBy(c => c.Kind))
        {
            var primary = group.FirstOrDefault(c => c.IsPrimary) ?? group.First();
            foreach (var c in group) c.IsPrimary = ReferenceEquals(c, primary);
        }
        return (errors.Count == 0 ? contact : null, errors);
    }

    public async Task<bool> ExternalIdTakenAsync(string? externalId, CancellationToken ct) =>
        externalId is not null && await db.Contacts.AnyAsync(c => c.ExternalId == externalId, ct);

    public async Task<ContactView?> GetAsync(Guid id, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking().Include(c => c.Channels).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null) return null;
        var now = clock.GetUtcNow();
        var consents = await db.Consents.AsNoTracking().Where(c => c.ContactId == id)
            .Select(c => new ConsentView(c.Channel, c.Status, c.Source, c.CapturedAt, c.PolicyVersion)).ToListAsync(ct);
        var values = contact.Channels.Select(c => c.Value).ToList();
        var suppressions = await db.Suppressions.AsNoTracking()
            .Where(s => s.RemovedAt == null && (s.ContactId == id || (s.Value != null && values.Contains(s.Value))))
            .ToListAsync(ct);
        var enrollments = await db.Enrollments.AsNoTracking().Where(e => e.ContactId == id)
            .Select(e => new EnrollmentSummary(e.Id, e.CampaignId, e.State, e.StepIndex, e.NextActionAt)).ToListAsync(ct);
        return ContactView.From(contact, consents,
            [.. suppressions.Where(s => s.ExpiresAt is null || s.ExpiresAt > now)
                .Select(s => new SuppressionSummary(s.Id, s.Reason, s.Value, s.Channel, s.ExpiresAt))],
            enrollments);
    }

    public async Task<ContactPage> ListAsync(Guid? after, int limit, string? tag, LeadStage? stage, CancellationToken ct)
    {
        var query = db.Contacts.AsNoTracking().Include(c => c.Channels).AsQueryable();
        if (after is { } cursor) query = query.Where(c => c.Id.CompareTo(cursor) > 0);
        if (tag is not null) query = query.Where(c => c.Tags.Contains(tag));
        if (stage is { } s) query = query.Where(c => c.Stage == s);
        // UUIDv7 ids sort by creation time, so the id is a stable cursor.
        var page = await query.OrderBy(c => c.Id).Take(limit + 1).ToListAsync(ct);
        var next = page.Count > limit ? page[limit - 1].Id.ToString() : null;
        return new ContactPage([.. page.Take(limit).Select(c => ContactView.From(c))], next);
    }
}
