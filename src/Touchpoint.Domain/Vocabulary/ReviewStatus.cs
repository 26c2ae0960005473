using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>State of an inbound item waiting for a human.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReviewStatus>))]
public enum ReviewStatus
{
    [JsonStringEnumMemberName("open")] Open,
    [JsonStringEnumMemberName("resolved")] Resolved,
    [JsonStringEnumMemberName("dismissed")] Dismissed,
}
