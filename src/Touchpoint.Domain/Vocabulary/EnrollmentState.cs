using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Campaign contact state (seed 000 campaign_contacts.state).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnrollmentState>))]
public enum EnrollmentState
{
    [JsonStringEnumMemberName("NEW")] New,
    [JsonStringEnumMemberName("ATTEMPTING")] Attempting,
    [JsonStringEnumMemberName("ENGAGED")] Engaged,
    [JsonStringEnumMemberName("QUALIFIED")] Qualified,
    [JsonStringEnumMemberName("BOOKED")] Booked,
    [JsonStringEnumMemberName("NOT_INTERESTED")] NotInterested,
    [JsonStringEnumMemberName("STOPPED")] Stopped,
    [JsonStringEnumMemberName("UNREACHABLE")] Unreachable,
    [JsonStringEnumMemberName("DO_NOT_CONTACT")] DoNotContact,
}
