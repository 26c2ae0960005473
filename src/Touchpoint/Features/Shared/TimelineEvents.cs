using System.Text.Json;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Shared;

/// <summary>Builds the append-only <see cref="MemoryEvent"/> rows features add to a contact's timeline.</summary>
public static class TimelineEvents
{
    public const string ConsentChanged = "CONSENT_CHANGED";
    public const string SuppressionAdded = "SUPPRESSION_ADDED";
    public const string SuppressionRemoved = "SUPPRESSION_REMOVED";
    public const string ContactUpdated = "CONTACT_UPDATED";

    public static MemoryEvent New(Guid workspaceId, Guid contactId, string eventType, string source,
        Channel? channel, object payload, DateTimeOffset at) => new()
    {
        WorkspaceId = workspaceId, ContactId = contactId, EventType = eventType,
        // The column holds 64 characters; a longer free-text source is still kept whole in the payload.
        Source = source.Length <= 64 ? source : source[..64],
        Channel = channel, PayloadJson = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web), CreatedAt = at,
    };
}
