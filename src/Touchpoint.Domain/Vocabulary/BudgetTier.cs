using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Workspace spend tier (seed 001).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BudgetTier>))]
public enum BudgetTier
{
    [JsonStringEnumMemberName("GREEN")] Green,
    [JsonStringEnumMemberName("YELLOW")] Yellow,
    [JsonStringEnumMemberName("RED")] Red,
}
