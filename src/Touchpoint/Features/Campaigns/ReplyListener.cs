using Touchpoint.Data.Entities;
using Touchpoint.Domain.Keywords;
using Touchpoint.Features.Webhooks;

namespace Touchpoint.Features.Campaigns;

/// <summary>
/// A plain reply (no STOP/START/HELP keyword, nothing opt-out-like) engages the contact's enrollments and ends
/// their sequences per stopOnEvents. Keywords and opt-out-like text belong to the inbound effects (consent,
/// review). <see cref="EnrollmentSignals.ContactRepliedAsync"/> is idempotent, so inbound effects calling it
/// for the same reply as well changes nothing twice.
/// </summary>
public sealed class ReplyListener(EnrollmentSignals signals) : IInboundMessageListener
{
    public async Task OnInboundAsync(InboundMessage message, KeywordMatch match, CancellationToken ct)
    {
        if (message.ContactId is not { } contactId || match.Class != KeywordClass.None) return;
        await signals.ContactRepliedAsync(message.WorkspaceId, contactId, message.Channel, message.Id, ct);
    }
}
