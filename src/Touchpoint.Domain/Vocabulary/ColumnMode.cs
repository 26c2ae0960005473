using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Who runs a kanban column (seed 002).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnMode>))]
public enum ColumnMode
{
    [JsonStringEnumMemberName("AI_MODE")] AiMode,
    [JsonStringEnumMemberName("HUMAN_MODE")] HumanMode,
    [JsonStringEnumMemberName("HYBRID")] Hybrid,
}
