using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Who proposed a tag (seed 002 tag events).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TagSource>))]
public enum TagSource
{
    [JsonStringEnumMemberName("ai")] Ai,
    [JsonStringEnumMemberName("human")] Human,
    [JsonStringEnumMemberName("import")] Import,
}
