using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Consent;
using Touchpoint.Features.Suppressions;

namespace Touchpoint.Features.Inbound;

/// <summary>
/// START (and its synonyms): consent <c>opt_in</c> with the message as evidence, then the <c>opted_out</c>
/// suppressions on the sender's address (and the contact's own) are lifted through
/// <see cref="SuppressionService.RemoveAsync"/>, whose rule is that only a strictly newer opt-in undoes an opt-out.
/// Other suppressions (complaint, bounce, DNC, manual) stay: a keyword cannot undo what the person did not say.
/// </summary>
public sealed class OptInRecorder(TouchpointDb db, ConsentService consents, SuppressionService suppressions)
{
    public async Task<IReadOnlyList<Guid>> RecordAsync(InboundMessage message, Guid contactId, object evidence, CancellationToken ct)
    {
        await consents.RecordAsync(contactId, message.Channel, ConsentStatus.OptIn, "keyword", null,
            JsonSerializer.Serialize(evidence, JsonSerializerOptions.Web), ct);
        var (ws, address, channel) = (message.WorkspaceId, message.FromAddress, message.Channel);
        var optedOut = await db.Suppressions.IgnoreQueryFilters()
            .Where(s => s.WorkspaceId == ws && s.RemovedAt == null && s.Reason == SuppressionReason.OptedOut
                && (s.Value == address || s.ContactId == contactId) && (s.Channel == null || s.Channel == channel))
            .Select(s => s.Id).ToListAsync(ct);
        var lifted = new List<Guid>();
        foreach (var id in optedOut)
            if (await suppressions.RemoveAsync(id, "keyword", ct) == RemoveOutcome.Removed) lifted.Add(id);
        return lifted;
    }
}
