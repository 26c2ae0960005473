using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;

namespace Touchpoint.Dashboard;

public sealed record ContactRow(Guid Id, string? ExternalId, string Name, string Stage, IReadOnlyList<string> Addresses, IReadOnlyList<string> Tags);

public sealed record RuleTraceRow(string Rule, string Verdict, string Detail);

public sealed record DecisionRow(PolicyDecision Decision, IReadOnlyList<RuleTraceRow> Trace);

/// <summary>Read models for the contact pages that the API does not already expose as a service.</summary>
public sealed class ContactSearch(TouchpointDb db)
{
    /// <summary>Case-insensitive substring match on names, external id and any channel address; newest first.</summary>
    public async Task<List<ContactRow>> FindAsync(string? text, int limit, CancellationToken ct)
    {
        var query = db.Contacts.AsNoTracking().Include(c => c.Channels).AsQueryable();
        if (!string.IsNullOrWhiteSpace(text))
        {
            var q = text.Trim().ToLowerInvariant();
            // lower() on both stores: PostgreSQL's LIKE is case-sensitive, SQLite's is not.
            query = query.Where(c =>
                (c.FirstName != null && c.FirstName.ToLower().Contains(q)) ||
                (c.LastName != null && c.LastName.ToLower().Contains(q)) ||
                (c.ExternalId != null && c.ExternalId.ToLower().Contains(q)) ||
                c.Channels.Any(ch => ch.Value.ToLower().Contains(q)));
        }
        var rows = await query.OrderByDescending(c => c.Id).Take(limit).ToListAsync(ct);
        return [.. rows.Select(c => new ContactRow(c.Id, c.ExternalId, DisplayName(c.FirstName, c.LastName),
            Domain.Vocabulary.WireName.Of(c.Stage), [.. c.Channels.Select(ch => $"{Domain.Vocabulary.WireName.Of(ch.Kind)}: {ch.Value}")], c.Tags))];
    }

    public Task<List<ConsentRecord>> ConsentHistoryAsync(Guid contactId, CancellationToken ct) =>
        db.ConsentRecords.AsNoTracking().Where(r => r.ContactId == contactId)
            .OrderByDescending(r => r.CapturedAt).ThenByDescending(r => r.Id).Take(200).ToListAsync(ct);

    public async Task<List<DecisionRow>> DecisionsAsync(Guid contactId, CancellationToken ct)
    {
        var rows = await db.PolicyDecisions.AsNoTracking().Where(d => d.ContactId == contactId)
            .OrderByDescending(d => d.EvaluatedAt).ThenByDescending(d => d.Id).Take(100).ToListAsync(ct);
        return [.. rows.Select(d => new DecisionRow(d, ParseTrace(d.RuleTraceJson)))];
    }

    public Task<Dictionary<Guid, string>> CampaignNamesAsync(CancellationToken ct) =>
        db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);

    public static string DisplayName(string? first, string? last) =>
        $"{first} {last}".Trim() is { Length: > 0 } name ? name : "(no name)";

    /// <summary>The stored trace is the engine's list of {rule, verdict, detail}; read case-insensitively and leniently.</summary>
    public static List<RuleTraceRow> ParseTrace(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return [];
        return [.. doc.RootElement.EnumerateArray().Select(e => new RuleTraceRow(
            Field(e, "rule"), Field(e, "verdict"), Field(e, "detail")))];
    }

    /// <summary>Evidence as label/value pairs for display (the stored JSON escapes quotes and apostrophes).</summary>
    public static List<(string Key, string Value)> EvidenceFields(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind != JsonValueKind.Object ? [] :
            [.. doc.RootElement.EnumerateObject().Select(p => (p.Name,
                p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))];
    }

    static string Field(JsonElement e, string name)
    {
        foreach (var p in e.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        return "";
    }
}
