using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Contact (lead) stage (seed 001 LeadStage).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LeadStage>))]
public enum LeadStage
{
    [JsonStringEnumMemberName("NEW")] New,
    [JsonStringEnumMemberName("CONTACTED")] Contacted,
    [JsonStringEnumMemberName("ENGAGED")] Engaged,
    [JsonStringEnumMemberName("QUALIFIED")] Qualified,
    [JsonStringEnumMemberName("OUTCOME_APPOINTMENT")] OutcomeAppointment,
    [JsonStringEnumMemberName("OUTCOME_PURCHASE")] OutcomePurchase,
    [JsonStringEnumMemberName("TAKE_OVER")] TakeOver,
    [JsonStringEnumMemberName("CLOSED_LOST")] ClosedLost,
    [JsonStringEnumMemberName("SUPPRESSED")] Suppressed,
}
