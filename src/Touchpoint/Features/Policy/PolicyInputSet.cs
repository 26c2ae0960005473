using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using DomainCampaignPolicy = Touchpoint.Domain.Policy.CampaignPolicy;

namespace Touchpoint.Features.Policy;

/// <summary>
/// Everything policy decisions for a set of contacts of one workspace depend on, loaded with one query per kind
/// (consents, suppressions, recent touches, attestations, campaigns, the active strategy) instead of one round of
/// queries per decision. The single-message path loads it for one contact; the touch orchestrator for a whole
/// batch. <see cref="Build"/> turns it into the engine's <see cref="PolicyRequest"/>; touches created while a batch
/// is being decided are added with <see cref="AddTouch"/> so caps see them.
/// </summary>
public sealed class PolicyInputSet
{
    static readonly MessageStatus[] CountedStatuses =
        [MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Read, MessageStatus.Uncertain];

    public required Workspace Workspace { get; init; }
    public required IReadOnlyDictionary<Guid, Contact> Contacts { get; init; }
    public StrategyVersion? ActiveStrategy { get; init; }
    Dictionary<(Guid, Channel), (ConsentStatus Status, DateTimeOffset? CapturedAt)> consents = [];
    List<Suppression> suppressions = [];
    // Each touch keeps its message id (null for one added in memory) so a batch can leave out the message being decided.
    Dictionary<Guid, List<(Guid? MessageId, RecentTouch Touch)>> touches = [];
    List<OutreachAttestation> attestations = [];
    Dictionary<Guid, Campaign> campaigns = [];

    /// <summary><paramref name="contacts"/> must be loaded with their channels; <paramref name="excludedMessageId"/> is the row being decided.</summary>
    public static async Task<PolicyInputSet> LoadAsync(TouchpointDb db, Workspace workspace, IReadOnlyCollection<Contact> contacts,
        IReadOnlyCollection<Guid> campaignIds, DateTimeOffset at, CancellationToken ct, Guid? excludedMessageId = null)
    {
        var ws = workspace.Id;
        var ids = contacts.Select(c => c.Id).Distinct().ToList();
        var nullableIds = ids.Select(id => (Guid?)id).ToList();
        var addresses = contacts.SelectMany(c => c.Channels).Select(c => c.Value).Distinct().ToList();
        var weekAgo = at.AddDays(-7);

        var consentRows = await db.Consents.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WorkspaceId == ws && ids.Contains(c.ContactId))
            .Select(c => new { c.ContactId, c.Channel, c.Status, c.CapturedAt }).ToListAsync(ct);
        // Two queries rather than one OR: each then uses its own index (contact id; value), on SQLite too.
        var suppressionRows = await db.Suppressions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.WorkspaceId == ws && s.RemovedAt == null && nullableIds.Contains(s.ContactId)).ToListAsync(ct);
        suppressionRows.AddRange(await db.Suppressions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.WorkspaceId == ws && s.RemovedAt == null && s.ContactId == null && addresses.Contains(s.Value!)).ToListAsync(ct));
        suppressionRows.AddRange(await db.Suppressions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.WorkspaceId == ws && s.RemovedAt == null && s.ContactId != null && !nullableIds.Contains(s.ContactId) && addresses.Contains(s.Value!))
            .ToListAsync(ct));
        // Statuses are filtered here, not in SQL: with a status predicate SQLite picks the (workspace, status) index and
        // reads every queued message of the workspace per batch; the (workspace, contact, created_at) index reads a few rows.
        var touchRows = (await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.WorkspaceId == ws && ids.Contains(m.ContactId) && m.CreatedAt >= weekAgo && m.Id != excludedMessageId)
            .Select(m => new { m.Id, m.ContactId, m.Channel, m.Status, m.SentAt, m.CreatedAt, m.CampaignId }).ToListAsync(ct))
            .Where(m => CountedStatuses.Contains(m.Status)).ToList();
        var attestationRows = await db.Attestations.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.WorkspaceId == ws && a.Granted && a.ExpiresAt > at).ToListAsync(ct);
        var campaignRows = campaignIds.Count == 0 ? []
            : await db.Campaigns.IgnoreQueryFilters().AsNoTracking().Where(c => c.WorkspaceId == ws && campaignIds.Contains(c.Id)).ToListAsync(ct);
        var strategy = await db.StrategyVersions.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.WorkspaceId == ws && s.Status == StrategyStatus.Active, ct);

        return new PolicyInputSet
        {
            Workspace = workspace,
            Contacts = contacts.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First()),
            ActiveStrategy = strategy,
            consents = consentRows.GroupBy(c => (c.ContactId, c.Channel)).ToDictionary(g => g.Key, g => (g.First().Status, g.First().CapturedAt)),
            suppressions = suppressionRows,
            touches = touchRows.GroupBy(t => t.ContactId).ToDictionary(g => g.Key,
                g => g.Select(t => ((Guid?)t.Id, new RecentTouch(t.Channel, Instant.FromDateTimeOffset(t.SentAt ?? t.CreatedAt), t.CampaignId))).ToList()),
            attestations = attestationRows,
            campaigns = campaignRows.ToDictionary(c => c.Id),
        };
    }

    /// <summary>
    /// The engine's request for one decision; null when the contact is not in the set. <paramref name="evaluatedMessageId"/>:
    /// the outbox row being decided (a batch loads the rows it decides, and none is a prior touch of itself).
    /// </summary>
    public PolicyRequest? Build(Guid contactId, Channel channel, MessagePurpose purpose, Guid? campaignId, DateTimeOffset at,
        Guid? evaluatedMessageId = null)
    {
        if (!Contacts.TryGetValue(contactId, out var contact)) return null;
        var address = PolicyRequestBuilder.ResolveAddress(contact, channel);
        var consent = consents.TryGetValue((contactId, channel), out var c) ? c : ((ConsentStatus, DateTimeOffset?)?)null;
        var campaign = campaignId is { } id ? campaigns.GetValueOrDefault(id) : null;
        return new PolicyRequest(
            new ContactSnapshot(contact.Id, contact.Timezone, contact.FatigueScore, contact.Stage, PolicyRequestBuilder.UsState(contact.AttributesJson)),
            channel, purpose, address, new WorkspacePolicy(Workspace.Timezone, Workspace.BudgetTier), Instant.FromDateTimeOffset(at))
        {
            Consent = consent is not { } found ? null : new ChannelConsent(found.Item1,
                found.Item2 is { } captured ? Instant.FromDateTimeOffset(captured) : null),
            Suppressions = [.. suppressions.Where(s => AppliesTo(s, contactId, channel, address)).Select(s => new ActiveSuppression(
                s.Value is null ? SuppressionScope.Contact : SuppressionScope.Address, s.Reason,
                s.ExpiresAt is { } e ? Instant.FromDateTimeOffset(e) : null))],
            RecentTouches = touches.TryGetValue(contactId, out var recent)
                ? [.. recent.Where(t => evaluatedMessageId is null || t.MessageId != evaluatedMessageId).Select(t => t.Touch)] : [],
            Attestations = [.. attestations.Select(a => new OutreachAttestationGrant(
                [.. a.Channels.Select(ch => WireName.TryParse<Channel>(ch, out var k) ? k : (Channel?)null).OfType<Channel>()],
                a.CampaignId, Instant.FromDateTimeOffset(a.ExpiresAt)))],
            Campaign = campaign is null ? null : CampaignPolicyFrom(campaign, Campaigns.StrategyCadence.From(ActiveStrategy)),
        };
    }

    /// <summary>A touch decided in this batch counts towards the caps of the decisions after it.</summary>
    public void AddTouch(Guid contactId, Channel channel, DateTimeOffset at, Guid? campaignId)
    {
        if (!touches.TryGetValue(contactId, out var list)) touches[contactId] = list = [];
        list.Add((null, new RecentTouch(channel, Instant.FromDateTimeOffset(at), campaignId)));
    }

    static bool AppliesTo(Suppression s, Guid contactId, Channel channel, ResolvedAddress? address) =>
        // An address suppression with a channel (STOP by SMS) covers that channel only; without one, every channel.
        s.Value is not null
            ? address is not null && s.Value == address.Value && (s.Channel is null || s.Channel == channel)
            : s.ContactId == contactId && (s.Channel is null || s.Channel == channel);

    static DomainCampaignPolicy CampaignPolicyFrom(Campaign campaign, StrategyDefaults? strategy)
    {
        var policy = JsonSerializer.Deserialize<Domain.Campaigns.CampaignPolicy>(campaign.PolicyJson, PlanHash.JsonOptions);
        var result = new DomainCampaignPolicy(campaign.Id, campaign.Status);
        if (policy is null) return result;
        var (perDay, perWeek) = CadencePresets.EffectiveCaps(StrategyDefaults.Apply(policy, strategy));
        return result with
        {
            QuietHours = policy.QuietHours is { } q
                ? new QuietHoursWindow(LocalTime.FromTimeOnly(q.Start), LocalTime.FromTimeOnly(q.End)) : null,
            MaxTouchesPerDay = perDay,
            MaxTouchesPerWeek = perWeek,
            AllowedChannels = policy.AllowedChannels,
        };
    }
}
