using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Follow-up cadence preset (seed 001).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FollowUpPreset>))]
public enum FollowUpPreset
{
    [JsonStringEnumMemberName("GENTLE")] Gentle,
    [JsonStringEnumMemberName("BALANCED")] Balanced,
    [JsonStringEnumMemberName("AGGRESSIVE")] Aggressive,
}
