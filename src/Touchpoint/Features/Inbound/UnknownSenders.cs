using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Contacts;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Inbound;

/// <summary>
/// A reply from an address no contact holds becomes a contact with that address when the workspace's
/// <c>createContactsFromUnknownSenders</c> is on (ARCHITECTURE issue #7 §5), so the conversation has someone to
/// belong to. The address must normalize (E.164, lower-cased e-mail, handle); garbage creates nothing.
/// </summary>
public sealed class UnknownSenders(TouchpointDb db, TimeProvider clock)
{
    public const string ContactCreated = "CONTACT_CREATED";

    /// <summary>Links <paramref name="message"/> to a new contact; false when the switch is off or the address is unusable.</summary>
    public bool TryCreateContact(InboundMessage message, Workspace workspace)
    {
        if (!workspace.CreateContactsFromUnknownSenders || message.ContactId is not null) return false;
        var (address, error) = ChannelAddress.Normalize(message.Channel, message.FromAddress, workspace.DefaultRegion);
        if (address is null || error is not null) return false;

        var now = clock.GetUtcNow().ToUniversalTime();
        var contact = new Contact { WorkspaceId = workspace.Id, CreatedAt = now, UpdatedAt = now };
        contact.Channels.Add(new ContactChannel
        {
            WorkspaceId = workspace.Id, ContactId = contact.Id, Kind = message.Channel, Value = address, IsPrimary = true,
            CreatedAt = now, UpdatedAt = now,
        });
        db.Contacts.Add(contact);
        message.ContactId = contact.Id;
        db.MemoryEvents.Add(TimelineEvents.New(workspace.Id, contact.Id, ContactCreated, "inbound", message.Channel,
            new { inboundMessageId = message.Id, address, reason = "unknown_sender" }, now));
        return true;
    }
}
