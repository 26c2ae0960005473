using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// Why a message is sent. Consent and the RED budget tier treat the two differently: a reply to the
/// recipient's own message is not a solicitation (TCPA 47 CFR 64.1200 regulates telephone solicitations).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessagePurpose>))]
public enum MessagePurpose
{
    [JsonStringEnumMemberName("marketing")] Marketing,
    [JsonStringEnumMemberName("transactional_reply")] TransactionalReply,

    /// <summary>
    /// The single confirmation of an opt-out the person just sent (CTIA: one reply to STOP). The only purpose that
    /// may reach an opted-out address; the engine allows it only while <see cref="PolicyRequest.OptOutToConfirm"/>
    /// is due (see <see cref="OptOutConfirmationRule"/>).
    /// </summary>
    [JsonStringEnumMemberName("opt_out_confirmation")] OptOutConfirmation,
}
