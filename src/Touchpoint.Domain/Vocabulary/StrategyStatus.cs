using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Strategy version lifecycle (seed 001).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StrategyStatus>))]
public enum StrategyStatus
{
    [JsonStringEnumMemberName("DRAFT")] Draft,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("ROLLED_BACK")] RolledBack,
}
