using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Automation rule trigger (seed 002).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AutomationTrigger>))]
public enum AutomationTrigger
{
    [JsonStringEnumMemberName("time_window")] TimeWindow,
    [JsonStringEnumMemberName("inactivity")] Inactivity,
    [JsonStringEnumMemberName("tag_added")] TagAdded,
}
