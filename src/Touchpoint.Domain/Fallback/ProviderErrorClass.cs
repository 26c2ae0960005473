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
/// Classifies provider error codes (Twilio and Meta numeric codes, SendGrid event/bounce types, <c>smtp_NNN</c>
/// reply codes, <c>http_NNN</c> statuses of HTTP providers that give no code of their own). Unknown codes are
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
        // Account problems are the operator's to fix; they say nothing about the recipient's address.
        new("twilio", "20003", ProviderErrorKind.Transient, "authentication failed (account SID / auth token)"),
        new("twilio", "21408", ProviderErrorKind.Transient, "permission to send to this region is not enabled on the account"),
        new("meta", "131047", ProviderErrorKind.Transient, "outside the 24 h customer-service window: send a template"),
        new("meta", "131026", ProviderErrorKind.Permanent, "message undeliverable (number not on WhatsApp or cannot receive)"),
        new("meta", "131050", ProviderErrorKind.OptedOut, "recipient stopped marketing messages from this business"),
        new("meta", "131021", ProviderErrorKind.Permanent, "recipient cannot be the sender"),
        new("meta", "131051", ProviderErrorKind.Permanent, "unsupported message type"),
        new("meta", "132000", ProviderErrorKind.Permanent, "template parameter count mismatch"),
        new("meta", "132001", ProviderErrorKind.Permanent, "template does not exist in this language"),
        new("meta", "131049", ProviderErrorKind.Transient, "held back by Meta to protect ecosystem engagement"),
        new("meta", "131048", ProviderErrorKind.Transient, "spam rate limit hit"),
        new("meta", "131056", ProviderErrorKind.Transient, "pair rate limit: too many messages to this number"),
        new("meta", "130429", ProviderErrorKind.Transient, "throughput rate limit hit"),
        new("meta", "131000", ProviderErrorKind.Transient, "something went wrong at Meta"),
        new("meta", "190", ProviderErrorKind.Transient, "access token expired or invalid"),
        new("http", "http_400", ProviderErrorKind.Permanent, "the provider refused the request as malformed or invalid"),
        new("http", "http_401", ProviderErrorKind.Transient, "credentials refused (API key): fix the provider settings"),
        new("http", "http_403", ProviderErrorKind.Transient, "not permitted (API key scope, unverified sender)"),
        new("http", "http_413", ProviderErrorKind.Permanent, "message too large"),
        new("http", "http_422", ProviderErrorKind.Permanent, "the provider cannot process this message"),
        new("smtp", "smtp_421", ProviderErrorKind.Transient, "service not available, closing channel"),
        new("smtp", "smtp_450", ProviderErrorKind.Transient, "mailbox unavailable (busy or greylisted)"),
        new("smtp", "smtp_451", ProviderErrorKind.Transient, "local error in processing: try again later"),
        new("smtp", "smtp_452", ProviderErrorKind.Transient, "insufficient system storage"),
        new("smtp", "smtp_535", ProviderErrorKind.Transient, "SMTP authentication failed: fix the provider settings"),
        new("smtp", "smtp_550", ProviderErrorKind.Permanent, "mailbox unavailable (does not exist or refused)"),
        new("smtp", "smtp_551", ProviderErrorKind.Permanent, "user not local"),
        new("smtp", "smtp_552", ProviderErrorKind.Permanent, "exceeded storage allocation"),
        new("smtp", "smtp_553", ProviderErrorKind.Permanent, "mailbox name not allowed"),
        new("smtp", "smtp_554", ProviderErrorKind.Permanent, "transaction failed (rejected as spam or policy)"),
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
        if (ByCode.TryGetValue(key, out var known)) return known;
        // RFC 5321 §4.2.1: any other 5yz reply is a permanent negative completion, 4yz a transient one.
        if (key.Length == 8 && key.StartsWith("smtp_5", StringComparison.OrdinalIgnoreCase))
            return new ProviderError("smtp", key, ProviderErrorKind.Permanent, "permanent SMTP failure (5yz)");
        return new ProviderError("unknown", key, ProviderErrorKind.Transient, "unclassified error: treated as transient");
    }
}
