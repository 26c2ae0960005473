using System.Collections.Frozen;
using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Fallback;

[JsonConverter(typeof(JsonStringEnumConverter<ProviderErrorKind>))]
public enum ProviderErrorKind
{
    /// <summary>May succeed later: retry the same channel after the cooldown, up to max attempts.</summary>
    [JsonStringEnumMemberName("transient")] Transient,

    /// <summary>Will never succeed on this channel/address: never retried, the channel is dead for the contact.</summary>
    [JsonStringEnumMemberName("permanent")] Permanent,

    /// <summary>Permanent, and the provider says the recipient opted out: the host also records an opt-out for the channel.</summary>
    [JsonStringEnumMemberName("opted_out")] OptedOut,
}

/// <summary>A provider error code with what it means for retrying.</summary>
public sealed record ProviderError(string Provider, string Code, ProviderErrorKind Kind, string Meaning)
{
    public bool IsPermanent => Kind is not ProviderErrorKind.Transient;
}

/// <summary>
/// Classifies provider error codes (Twilio numeric codes, SendGrid event/bounce types). Unknown codes are
/// transient: retries are bounded by max attempts anyway, whereas wrongly killing a channel loses a contact.
/// </summary>
public static class ProviderErrorClass
{
    public static readonly IReadOnlyList<ProviderError> Table =
    [
        new("twilio", "21610", ProviderErrorKind.OptedOut, "recipient replied STOP to this sender (unsubscribed)"),
        new("twilio", "21211", ProviderErrorKind.Permanent, "invalid 'To' phone number"),
        new("twilio", "21614", ProviderErrorKind.Permanent, "'To' number is not a mobile number"),
        new("twilio", "30006", ProviderErrorKind.Permanent, "landline or unreachable carrier: cannot receive sms"),
        // 30005: the carrier says the number does not exist; retrying burns money and sender reputation.
        new("twilio", "30005", ProviderErrorKind.Permanent, "unknown destination handset (number inactive)"),
        new("twilio", "30003", ProviderErrorKind.Transient, "unreachable destination handset (off or out of coverage)"),
        new("twilio", "30007", ProviderErrorKind.Transient, "carrier filtered the message"),
        new("twilio", "30008", ProviderErrorKind.Transient, "unknown error"),
        new("sendgrid", "bounce", ProviderErrorKind.Permanent, "hard bounce: mailbox does not exist"),
        new("sendgrid", "hard_bounce", ProviderErrorKind.Permanent, "hard bounce: mailbox does not exist"),
        new("sendgrid", "dropped", ProviderErrorKind.Permanent, "dropped: address on a SendGrid suppression list"),
        new("sendgrid", "blocked", ProviderErrorKind.Transient, "blocked by the receiving server (soft bounce)"),
        new("sendgrid", "deferred", ProviderErrorKind.Transient, "temporarily deferred by the receiving server"),
    ];

    static readonly FrozenDictionary<string, ProviderError> ByCode =
        Table.ToFrozenDictionary(e => e.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>The known entry for <paramref name="code"/>, or a transient "unclassified" entry.</summary>
    public static ProviderError Classify(string? code)
    {
        var key = code?.Trim() ?? "";
        return ByCode.TryGetValue(key, out var known)
            ? known
            : new ProviderError("unknown", key, ProviderErrorKind.Transient, "unclassified error: treated as transient");
    }
}
