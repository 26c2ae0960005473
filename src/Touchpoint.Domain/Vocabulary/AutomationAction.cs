using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Automation rule action (seed 002).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AutomationAction>))]
public enum AutomationAction
{
    [JsonStringEnumMemberName("send_template")] SendTemplate,
    [JsonStringEnumMemberName("run_agent")] RunAgent,
}
