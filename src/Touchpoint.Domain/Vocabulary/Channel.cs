using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>Channels a touch can go out on (ARCHITECTURE §3 ContactChannel.kind).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Channel>))]
public enum Channel
{
    [JsonStringEnumMemberName("sms")] Sms,
    [JsonStringEnumMemberName("imessage")] Imessage,
    [JsonStringEnumMemberName("whatsapp")] Whatsapp,
    [JsonStringEnumMemberName("call")] Call,
    [JsonStringEnumMemberName("voicemail")] Voicemail,
    [JsonStringEnumMemberName("rvm")] Rvm,
    [JsonStringEnumMemberName("email")] Email,
    [JsonStringEnumMemberName("instagram")] Instagram,
    [JsonStringEnumMemberName("messenger")] Messenger,
}
