using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Verification state of a sender identity (seed 003).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SenderVerification>))]
public enum SenderVerification
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("failed")] Failed,
}
