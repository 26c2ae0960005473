using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Keywords;

/// <summary>What an inbound message means for consent (ARCHITECTURE §6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KeywordClass>))]
public enum KeywordClass
{
    /// <summary>No keyword and nothing that reads like an opt-out.</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>Exact opt-out keyword: binding, honored immediately.</summary>
    [JsonStringEnumMemberName("opt_out")] OptOut,

    /// <summary>Exact opt-in keyword (re-subscribe).</summary>
    [JsonStringEnumMemberName("opt_in")] OptIn,

    /// <summary>Exact help keyword: answer with the workspace help text.</summary>
    [JsonStringEnumMemberName("help")] Help,

    /// <summary>Free text that reads like an opt-out: not binding, goes to human review and pauses the enrollment.</summary>
    [JsonStringEnumMemberName("opt_out_like")] OptOutLike,
}

/// <summary>
/// The classification of one inbound text. <see cref="Keyword"/> is the canonical keyword (e.g. <c>STOP</c>,
/// <c>OPT OUT</c>) for exact matches, or the phrase that triggered <see cref="KeywordClass.OptOutLike"/>.
/// </summary>
public sealed record KeywordMatch(KeywordClass Class, string? Keyword)
{
    public static readonly KeywordMatch NoMatch = new(KeywordClass.None, null);

    /// <summary>Only exact keywords change consent on their own; opt-out-like text needs a human.</summary>
    public bool IsBinding => Class is KeywordClass.OptOut or KeywordClass.OptIn or KeywordClass.Help;
}
