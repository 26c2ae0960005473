using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Contacts;

/// <summary>
/// PATCH body: absent (null) fields stay as they are; an empty string clears a name; <c>tags</c> replaces the
/// list; <c>attributes</c> merges top-level keys (a null value deletes the key).
/// </summary>
public sealed record UpdateContactRequest(
    string? FirstName, string? LastName, string? Timezone, string? Region, List<string>? Tags, JsonElement? Attributes,
    string? Stage, List<ChannelInput>? AddChannels, List<ChannelInput>? RemoveChannels);

public sealed class ContactUpdateService(TouchpointDb db, TimeProvider clock)
{
    /// <summary>Null contact when it does not exist; errors name the request field.</summary>
    public async Task<(Contact? Contact, FieldErrors Errors)> UpdateAsync(Guid id, UpdateContactRequest body, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var contact = await db.Contacts.Include(c => c.Channels).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null) return (null, errors);

        errors.TimeZone("timezone", body.Timezone is "" ? null : body.Timezone);
        errors.Region("region", body.Region is "" ? null : body.Region);
        if (body.Attributes is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            errors.Add("attributes", "must be a JSON object.");
        LeadStage? stage = null;
        if (body.Stage is not null)
        {
            if (WireName.TryParse<LeadStage>(body.Stage, out var s)) stage = s;
            else errors.Add("stage", $"must be one of {string.Join(", ", WireName.All<LeadStage>())}.");
        }
        var region = (body.Region is { Length: > 0 } r ? r : null) ?? contact.Region
            ?? await db.Workspaces.Where(w => w.Id == contact.WorkspaceId).Select(w => w.DefaultRegion).SingleAsync(ct);
        var toAdd = ChannelInputs.Parse("addChannels", body.AddChannels, region, errors);
        var toRemove = ChannelInputs.Parse("removeChannels", body.RemoveChannels, region, errors);
        for (var i = 0; i < toRemove.Count; i++)
            if (!contact.Channels.Any(c => c.Kind == toRemove[i].Kind && c.Value == toRemove[i].Value))
                errors.Add($"removeChannels[{toRemove[i].Index}].value", "is not one of this contact's channels.");
        if (errors.Count > 0) return (null, errors);

        var now = clock.GetUtcNow();
        var changed = new List<string>();
        void Set<T>(string name, T? value, Func<T?> get, Action<T?> set) where T : class
        {
            if (value is null || Equals(value, get())) return;
            set(value); changed.Add(name);
        }
        Set("firstName", body.FirstName?.Trim(), () => contact.FirstName ?? "", v => contact.FirstName = v is "" ? null : v);
        Set("lastName", body.LastName?.Trim(), () => contact.LastName ?? "", v => contact.LastName = v is "" ? null : v);
        Set("timezone", body.Timezone, () => contact.Timezone ?? "", v => contact.Timezone = v is "" ? null : v);
        Set("region", body.Region?.ToUpperInvariant(), () => contact.Region ?? "", v => contact.Region = v is "" ? null : v);
        if (stage is { } newStage && newStage != contact.Stage) { contact.Stage = newStage; changed.Add("stage"); }
        if (body.Tags is not null)
        {
            contact.Tags = [.. body.Tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct()];
            changed.Add("tags");
        }
        if (body.Attributes is { ValueKind: JsonValueKind.Object } patch)
        {
            contact.AttributesJson = MergeAttributes(contact.AttributesJson, patch);
            changed.Add("attributes");
        }
        foreach (var (_, kind, value, _, _) in toRemove)
        {
            var channel = contact.Channels.First(c => c.Kind == kind && c.Value == value);
            contact.Channels.Remove(channel);
            db.ContactChannels.Remove(channel);
            if (channel.IsPrimary && contact.Channels.FirstOrDefault(c => c.Kind == kind) is { } next) next.IsPrimary = true;
            changed.Add($"-{WireName.Of(kind)}");
        }
        foreach (var (_, kind, value, isPrimary, timezone) in toAdd)
        {
            if (contact.Channels.Any(c => c.Kind == kind && c.Value == value)) continue;
            var first = !contact.Channels.Any(c => c.Kind == kind);
            if (isPrimary) foreach (var c in contact.Channels.Where(c => c.Kind == kind)) c.IsPrimary = false;
            contact.Channels.Add(new ContactChannel
            {
                WorkspaceId = contact.WorkspaceId, ContactId = contact.Id, Kind = kind, Value = value,
                IsPrimary = first || isPrimary, Timezone = timezone, CreatedAt = now, UpdatedAt = now,
            });
            changed.Add($"+{WireName.Of(kind)}");
        }
        if (changed.Count > 0)
        {
            contact.UpdatedAt = now;
            db.MemoryEvents.Add(TimelineEvents.New(contact.WorkspaceId, contact.Id, TimelineEvents.ContactUpdated, "api", null,
                new { changed }, now));
            await db.SaveChangesAsync(ct);
        }
        return (contact, errors);
    }

    static string MergeAttributes(string currentJson, JsonElement patch)
    {
        var current = JsonNode.Parse(currentJson) as JsonObject ?? [];
        foreach (var property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null) current.Remove(property.Name);
            else current[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }
        return current.ToJsonString();
    }
}
