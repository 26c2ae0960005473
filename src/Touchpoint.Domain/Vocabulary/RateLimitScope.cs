using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Vocabulary;

/// <summary>What a send token bucket limits (seed 003 send_rate_limits; ARCHITECTURE §7).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RateLimitScope>))]
public enum RateLimitScope
{
    /// <summary>One provider account (e.g. a Twilio account SID): the provider's own API limit.</summary>
    [JsonStringEnumMemberName("provider_account")] ProviderAccount,
    /// <summary>One sending address (long code, short code, e-mail sender): carrier or mailbox limits.</summary>
    [JsonStringEnumMemberName("sender")] Sender,
    /// <summary>Everything a workspace sends.</summary>
    [JsonStringEnumMemberName("workspace")] Workspace,
}
