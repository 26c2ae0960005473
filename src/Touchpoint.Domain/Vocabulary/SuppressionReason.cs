using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Why an address or contact is suppressed; a suppression always wins (seed 000/003).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SuppressionReason>))]
public enum SuppressionReason
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("opted_out")] OptedOut,
    [JsonStringEnumMemberName("complaint")] Complaint,
    [JsonStringEnumMemberName("dnc")] Dnc,
    [JsonStringEnumMemberName("bounced")] Bounced,
    [JsonStringEnumMemberName("manual")] Manual,
}
