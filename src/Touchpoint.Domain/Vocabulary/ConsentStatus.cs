using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Per contact per channel consent (seed 000 consents).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsentStatus>))]
public enum ConsentStatus
{
    [JsonStringEnumMemberName("opt_in")] OptIn,
    [JsonStringEnumMemberName("opt_out")] OptOut,
    [JsonStringEnumMemberName("unknown")] Unknown,
}
