using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Domain.Commands;
using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Commands;

/// <summary>A lookup that found exactly one row, or says why not (none, or several to choose from).</summary>
public sealed record TargetLookup(Guid? Id, string? Name, string? Problem)
{
    public static TargetLookup Found(Guid id, string? name = null) => new(id, name, null);
    public static TargetLookup Fails(string problem) => new(null, null, problem);
}

/// <summary>
/// Turns what an operator typed into a contact or campaign of the caller's workspace: a lead by contact id,
/// external id, phone (parsed with the workspace's region) or email; a campaign by id or by name (case and
/// accent insensitive). Every query runs under the workspace filter.
/// </summary>
public sealed class CommandTargets(TouchpointDb db)
{
    public async Task<TargetLookup> LeadAsync(Guid workspaceId, string reference, string? by, CancellationToken ct)
    {
        if (by is "contactId" || (by is null && Guid.TryParse(reference, out _)))
        {
            if (!Guid.TryParse(reference, out var id)) return TargetLookup.Fails($"'{reference}' is not a contact id.");
            return await db.Contacts.AnyAsync(c => c.Id == id, ct) ? TargetLookup.Found(id) : NoLead(reference);
        }
        if (by is "email" || (by is null && reference.Contains('@', StringComparison.Ordinal)))
            return await ByChannelAsync(reference, [Channel.Email], ChannelAddress.Normalize(Channel.Email, reference, "US").Value, ct);
        if (by is "externalId" || (by is null && !reference.StartsWith('+')))
        {
            var ids = await db.Contacts.Where(c => c.ExternalId == reference).Select(c => c.Id).OrderBy(id => id).Take(2).ToListAsync(ct);
            if (ids.Count == 1 || by is "externalId") return ids.Count == 1 ? TargetLookup.Found(ids[0]) : NoLead(reference);
        }
        var region = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.DefaultRegion).SingleAsync(ct);
        var phone = ChannelAddress.Normalize(Channel.Sms, reference, region).Value;
        return await ByChannelAsync(reference, [Channel.Sms, Channel.Whatsapp, Channel.Call, Channel.Voicemail, Channel.Rvm, Channel.Imessage], phone, ct);
    }

    public async Task<TargetLookup> CampaignAsync(string reference, CancellationToken ct)
    {
        if (Guid.TryParse(reference, out var id))
            return await db.Campaigns.Where(c => c.Id == id).Select(c => c.Name).FirstOrDefaultAsync(ct) is { } name
                ? TargetLookup.Found(id, name) : TargetLookup.Fails($"No campaign has id {id}.");
        // Campaigns per workspace are few; comparing folded names in memory makes "campana" find "Campaña".
        var wanted = CommandText.Fold(reference.Trim());
        var all = await db.Campaigns.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        var matches = all.Where(c => CommandText.Fold(c.Name.Trim()) == wanted).ToList();
        return matches.Count switch
        {
            1 => TargetLookup.Found(matches[0].Id, matches[0].Name),
            0 => TargetLookup.Fails($"No campaign is named '{reference}'. Campaigns: {string.Join(", ", all.Select(c => c.Name).Take(20))}."),
            _ => TargetLookup.Fails($"{matches.Count} campaigns are named '{reference}'; name one by id (campaign=<id>): {string.Join(", ", matches.Select(m => m.Id))}."),
        };
    }

    async Task<TargetLookup> ByChannelAsync(string reference, Channel[] kinds, string? value, CancellationToken ct)
    {
        if (value is null) return NoLead(reference);
        var ids = await db.ContactChannels.Where(c => c.Value == value && kinds.Contains(c.Kind))
            .Select(c => c.ContactId).Distinct().OrderBy(id => id).Take(5).ToListAsync(ct);
        return ids.Count switch
        {
            1 => TargetLookup.Found(ids[0]),
            0 => NoLead(reference),
            _ => TargetLookup.Fails($"Several contacts have {value}; name one by id (contactId=<id>): {string.Join(", ", ids)}."),
        };
    }

    static TargetLookup NoLead(string reference) => TargetLookup.Fails($"No contact matches '{reference}'.");
}
