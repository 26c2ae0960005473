using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Campaigns;
using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using DomainCampaignPolicy = Touchpoint.Domain.Policy.CampaignPolicy;

namespace Touchpoint.Features.Policy;

/// <summary>
/// Loads from the store everything one policy decision depends on (ARCHITECTURE §4 steps 1–2): the resolved
/// address, consent, suppressions, recent touches, campaign policy, attestations and workspace settings.
/// </summary>
public sealed class PolicyRequestBuilder(TouchpointDb db)
{
    static readonly MessageStatus[] CountedStatuses =
        [MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Read, MessageStatus.Uncertain];

    /// <summary><paramref name="evaluatedMessageId"/>: the outbox row being decided, which is not a prior touch of itself.</summary>
    public async Task<PolicyRequest?> BuildAsync(Guid contactId, Channel channel, MessagePurpose purpose,
        Guid? campaignId, DateTimeOffset at, CancellationToken ct, Guid? evaluatedMessageId = null)
    {
        var contact = await db.Contacts.AsNoTracking().Include(c => c.Channels).FirstOrDefaultAsync(c => c.Id == contactId, ct);
        if (contact is null) return null;
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == contact.WorkspaceId, ct);
        var address = ResolveAddress(contact, channel);
        var now = Instant.FromDateTimeOffset(at);

        var consent = await db.Consents.AsNoTracking()
            .Where(c => c.ContactId == contactId && c.Channel == channel)
            .Select(c => new { c.Status, c.CapturedAt }).FirstOrDefaultAsync(ct);
        var suppressions = await db.Suppressions.AsNoTracking()
            .Where(s => s.RemovedAt == null && (s.ContactId == contactId || (address != null && s.Value == address.Value)))
            .ToListAsync(ct);
        var weekAgo = at.AddDays(-7);
        var touches = await db.OutboundMessages.AsNoTracking()
            .Where(m => m.ContactId == contactId && CountedStatuses.Contains(m.Status) && m.CreatedAt >= weekAgo && m.Id != evaluatedMessageId)
            .Select(m => new { m.Channel, m.SentAt, m.CreatedAt, m.CampaignId }).ToListAsync(ct);
        var attestations = await db.Attestations.AsNoTracking()
            .Where(a => a.Granted && a.ExpiresAt > at).ToListAsync(ct);
        var campaign = campaignId is { } id ? await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) : null;
        var optOut = purpose == MessagePurpose.OptOutConfirmation
            ? await OptOutToConfirmAsync(contactId, channel, at, evaluatedMessageId, ct) : null;

        return new PolicyRequest(
            new ContactSnapshot(contact.Id, contact.Timezone, contact.FatigueScore, contact.Stage, UsState(contact.AttributesJson)),
            channel, purpose, address, new WorkspacePolicy(workspace.Timezone, workspace.BudgetTier), now)
        {
            Consent = consent is null ? null : new ChannelConsent(consent.Status,
                consent.CapturedAt is { } captured ? Instant.FromDateTimeOffset(captured) : null),
            Suppressions = [.. suppressions.Where(s => AppliesTo(s, contactId, channel, address)).Select(s => new ActiveSuppression(
                s.Value is null ? SuppressionScope.Contact : SuppressionScope.Address, s.Reason,
                s.ExpiresAt is { } e ? Instant.FromDateTimeOffset(e) : null))],
            RecentTouches = [.. touches.Select(t => new RecentTouch(t.Channel, Instant.FromDateTimeOffset(t.SentAt ?? t.CreatedAt), t.CampaignId))],
            Attestations = [.. attestations.Select(a => new OutreachAttestationGrant(
                [.. a.Channels.Select(c => WireName.TryParse<Channel>(c, out var k) ? k : (Channel?)null).OfType<Channel>()],
                a.CampaignId, Instant.FromDateTimeOffset(a.ExpiresAt)))],
            Campaign = campaign is null ? null : CampaignPolicyFrom(campaign),
            OptOutToConfirm = optOut,
        };
    }

    static readonly string OptOutClass = WireName.Of(Domain.Keywords.KeywordClass.OptOut);
    static readonly string ConfirmationPurpose = WireName.Of(MessagePurpose.OptOutConfirmation);

    /// <summary>The latest opt-out keyword on the channel and whether a confirmation (not denied) was created since.</summary>
    async Task<OptOutToConfirm?> OptOutToConfirmAsync(Guid contactId, Channel channel, DateTimeOffset at, Guid? evaluatedMessageId,
        CancellationToken ct)
    {
        var utc = at.ToUniversalTime();
        var received = await db.InboundMessages.AsNoTracking()
            .Where(i => i.ContactId == contactId && i.Channel == channel && i.KeywordClass == OptOutClass && i.ReceivedAt <= utc)
            .MaxAsync(i => (DateTimeOffset?)i.ReceivedAt, ct);
        if (received is not { } receivedAt) return null;
        var confirmed = await db.OutboundMessages.AsNoTracking().AnyAsync(m => m.ContactId == contactId && m.Channel == channel
            && m.Purpose == ConfirmationPurpose && m.CreatedAt >= receivedAt && m.Status != MessageStatus.Denied && m.Id != evaluatedMessageId, ct);
        return new OptOutToConfirm(Instant.FromDateTimeOffset(receivedAt), confirmed);
    }

    /// <summary>
    /// Primary usable address of the channel's kind; phone channels without their own row use the contact's
    /// SMS number (WhatsApp, calls and voicemail reach the same E.164). A DNC-only address is still returned
    /// so the engine records <c>address_dnc</c> instead of "no address".
    /// </summary>
    public static ResolvedAddress? ResolveAddress(Contact contact, Channel channel)
    {
        var candidates = contact.Channels.Where(c => c.Kind == channel).ToList();
        if (candidates.Count == 0 && ChannelAddress.IsPhoneChannel(channel))
            candidates = [.. contact.Channels.Where(c => c.Kind == Channel.Sms)];
        var best = candidates.OrderBy(c => c.Dnc).ThenByDescending(c => c.IsPrimary).ThenBy(c => c.CreatedAt).FirstOrDefault();
        return best is null ? null : new ResolvedAddress(best.Value, best.Dnc, best.Timezone);
    }

    static bool AppliesTo(Suppression s, Guid contactId, Channel channel, ResolvedAddress? address) =>
        // An address suppression with a channel (STOP by SMS) covers that channel only; without one, every channel.
        s.Value is not null
            ? address is not null && s.Value == address.Value && (s.Channel is null || s.Channel == channel)
            : s.ContactId == contactId && (s.Channel is null || s.Channel == channel);

    static DomainCampaignPolicy CampaignPolicyFrom(Campaign campaign)
    {
        var policy = JsonSerializer.Deserialize<Domain.Campaigns.CampaignPolicy>(campaign.PolicyJson, PlanHash.JsonOptions);
        var result = new DomainCampaignPolicy(campaign.Id, campaign.Status);
        if (policy is null) return result;
        var (perDay, perWeek) = CadencePresets.EffectiveCaps(policy);
        return result with
        {
            QuietHours = policy.QuietHours is { } q
                ? new QuietHoursWindow(LocalTime.FromTimeOnly(q.Start), LocalTime.FromTimeOnly(q.End)) : null,
            MaxTouchesPerDay = perDay,
            MaxTouchesPerWeek = perWeek,
            AllowedChannels = policy.AllowedChannels,
        };
    }

    static string? UsState(string attributesJson)
    {
        using var doc = JsonDocument.Parse(attributesJson);
        foreach (var name in new[] { "usState", "state" })
            if (doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: 2 } s)
                return s.ToUpperInvariant();
        return null;
    }
}
