using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Strategy version lifecycle (seed 001): DRAFT → ACTIVE → SUPERSEDED | ROLLED_BACK.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StrategyStatus>))]
public enum StrategyStatus
{
    [JsonStringEnumMemberName("DRAFT")] Draft,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("ROLLED_BACK")] RolledBack,
    /// <summary>Was ACTIVE until a newer version was activated; a rollback restores the latest one.</summary>
    [JsonStringEnumMemberName("SUPERSEDED")] Superseded,
}
