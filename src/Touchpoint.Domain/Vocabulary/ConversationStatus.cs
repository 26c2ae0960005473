using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Kanban conversation status (seed 002).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConversationStatus>))]
public enum ConversationStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("paused")] Paused,
    [JsonStringEnumMemberName("review")] Review,
    [JsonStringEnumMemberName("closed")] Closed,
}
