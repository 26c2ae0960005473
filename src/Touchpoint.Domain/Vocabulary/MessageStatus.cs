using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Outbound message lifecycle: scheduled/denied before the outbox, then queued -> sending -> sent -> delivered/read, or failed/undelivered/uncertain.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageStatus>))]
public enum MessageStatus
{
    [JsonStringEnumMemberName("scheduled")] Scheduled,
    [JsonStringEnumMemberName("denied")] Denied,
    [JsonStringEnumMemberName("dry_run")] DryRun,
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("sending")] Sending,
    [JsonStringEnumMemberName("sent")] Sent,
    [JsonStringEnumMemberName("delivered")] Delivered,
    [JsonStringEnumMemberName("read")] Read,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("undelivered")] Undelivered,
    [JsonStringEnumMemberName("uncertain")] Uncertain,
}
