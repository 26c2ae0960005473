using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>What processing a raw webhook delivery came to (ARCHITECTURE §6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WebhookOutcome>))]
public enum WebhookOutcome
{
    [JsonStringEnumMemberName("received")] Received,
    [JsonStringEnumMemberName("processed")] Processed,
    [JsonStringEnumMemberName("duplicate")] Duplicate,
    [JsonStringEnumMemberName("unparsed")] Unparsed,
    [JsonStringEnumMemberName("rejected_signature")] RejectedSignature,
    [JsonStringEnumMemberName("failed")] Failed,
}
