using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Crm.Tags;

/// <summary>
/// Tags with provenance (seed 002 tag_events): every proposal is an event with source, confidence and evidence.
/// Human and import tags apply at once; an AI tag below <see cref="CrmOptions.TagConfirmationThreshold"/> stays
/// <c>pending</c> until a human confirms or rejects it. Only confirmed tags reach the contact's tag list.
/// </summary>
public sealed class TagService(TouchpointDb db, IOptions<CrmOptions> options, TimeProvider clock)
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Rejected = "rejected";

    /// <summary>Adds the event (and the tag when confirmed) to the unit of work; the caller saves.</summary>
    public async Task<TagEvent> ProposeAsync(Guid workspaceId, Guid contactId, Guid? conversationId, string tag, TagSource source,
        double? confidence, object? evidence, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var pending = source == TagSource.Ai && (confidence ?? 0) < options.Value.TagConfirmationThreshold;
        var e = new TagEvent
        {
            WorkspaceId = workspaceId, ContactId = contactId, ConversationId = conversationId, TagSlug = Normalize(tag), Source = source,
            Confidence = confidence, EvidenceJson = JsonSerializer.Serialize(evidence ?? new { }, JsonSerializerOptions.Web),
            Status = pending ? Pending : Confirmed, CreatedAt = now, UpdatedAt = now,
        };
        db.TagEvents.Add(e);
        if (!pending) await ApplyAsync(e, WireName.Of(source), ct);
        return e;
    }

    public async Task<TagEvent?> DecideAsync(Guid id, bool confirm, string by, CancellationToken ct)
    {
        var e = await db.TagEvents.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (e is null || e.Status != Pending) return e;
        e.Status = confirm ? Confirmed : Rejected;
        e.UpdatedAt = clock.GetUtcNow();
        if (confirm) await ApplyAsync(e, by, ct);
        await db.SaveChangesAsync(ct);
        return e;
    }

    public Task<List<TagEvent>> ListAsync(Guid? contactId, string? status, CancellationToken ct) =>
        db.TagEvents.AsNoTracking().Where(t => (contactId == null || t.ContactId == contactId) && (status == null || t.Status == status))
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(500).ToListAsync(ct);

    public static string Normalize(string tag) => tag.Trim().Replace(' ', '_').ToUpperInvariant();

    async Task ApplyAsync(TagEvent e, string by, CancellationToken ct)
    {
        var contact = await db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.WorkspaceId == e.WorkspaceId && c.Id == e.ContactId, ct);
        if (!contact.Tags.Contains(e.TagSlug, StringComparer.OrdinalIgnoreCase)) contact.Tags = [.. contact.Tags, e.TagSlug];
        contact.UpdatedAt = e.UpdatedAt;
        db.MemoryEvents.Add(TimelineEvents.New(e.WorkspaceId, e.ContactId, "TAG_ADDED", by, null,
            new { tag = e.TagSlug, source = WireName.Of(e.Source), e.Confidence, tagEventId = e.Id }, e.UpdatedAt));
    }
}
