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
    /// <summary><paramref name="evaluatedMessageId"/>: the outbox row being decided, which is not a prior touch of itself.</summary>
    public async Task<PolicyRequest?> BuildAsync(Guid contactId, Channel channel, MessagePurpose purpose,
        Guid? campaignId, DateTimeOffset at, CancellationToken ct, Guid? evaluatedMessageId = null)
    {
        // Through the workspace query filter: a contact of another tenant is not found.
        var contact = await db.Contacts.AsNoTracking().Include(c => c.Channels).FirstOrDefaultAsync(c => c.Id == contactId, ct);
        if (contact is null) return null;
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == contact.WorkspaceId, ct);
        var inputs = await PolicyInputSet.LoadAsync(db, workspace, [contact], campaignId is { } id ? [id] : [], at, ct, evaluatedMessageId);
        var request = inputs.Build(contactId, channel, purpose, campaignId, at)!;
        return purpose == MessagePurpose.OptOutConfirmation
            ? request with { OptOutToConfirm = await OptOutToConfirmAsync(contactId, channel, at, evaluatedMessageId, ct) }
            : request;
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

    internal static string? UsState(string attributesJson)
    {
        using var doc = JsonDocument.Parse(attributesJson);
        foreach (var name in new[] { "usState", "state" })
            if (doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: 2 } s)
                return s.ToUpperInvariant();
        return null;
    }
}
