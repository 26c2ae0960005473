using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Enrollments;

/// <summary>What happened to an enrollment; the transition table says where each cause leads from each state.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnrollmentCause>))]
public enum EnrollmentCause
{
    [JsonStringEnumMemberName("touch_queued")] TouchQueued,
    [JsonStringEnumMemberName("touch_sent")] TouchSent,
    [JsonStringEnumMemberName("reply_received")] ReplyReceived,
    /// <summary>An operator or agent judged the contact qualified.</summary>
    [JsonStringEnumMemberName("qualified")] Qualified,
    [JsonStringEnumMemberName("meeting_booked")] MeetingBooked,
    [JsonStringEnumMemberName("not_interested")] NotInterested,
    /// <summary>Binding opt-out (exact STOP keyword, RFC 8058 unsubscribe, provider 21610).</summary>
    [JsonStringEnumMemberName("opt_out")] OptOut,
    /// <summary>Spam complaint or a DNC listing: never contact again.</summary>
    [JsonStringEnumMemberName("complaint")] Complaint,
    /// <summary>One of the step's <c>stopOnEvents</c> happened.</summary>
    [JsonStringEnumMemberName("stop_on_event")] StopOnEvent,
    [JsonStringEnumMemberName("manual_stop")] ManualStop,
    /// <summary>The fallback engine stopped with <c>all_channels_exhausted</c>.</summary>
    [JsonStringEnumMemberName("all_channels_exhausted")] AllChannelsExhausted,
    /// <summary>An operator explicitly set a state (the target travels with the cause).</summary>
    [JsonStringEnumMemberName("operator_set")] OperatorSet,
    /// <summary>An operator re-opened a stopped, unreachable or not-interested enrollment (or the contact re-subscribed).</summary>
    [JsonStringEnumMemberName("resumed")] Resumed,
}
