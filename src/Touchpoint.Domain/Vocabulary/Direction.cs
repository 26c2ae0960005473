using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Direction of a message or timeline event.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Direction>))]
public enum Direction
{
    [JsonStringEnumMemberName("inbound")] Inbound,
    [JsonStringEnumMemberName("outbound")] Outbound,
    [JsonStringEnumMemberName("internal")] Internal,
}
