using System.Collections.Frozen;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Providers;

/// <summary>What a provider needs to be configured for a channel; the one table the settings API validates against.</summary>
public sealed record ProviderDescriptor(
    string Name, IReadOnlyList<Channel> Channels, IReadOnlyList<string> RequiredSettings, IReadOnlyList<string> RequiredSecrets,
    string? DefaultBaseUrl)
{
    public bool Supports(Channel channel) => Channels.Contains(channel);
}

public static class ProviderCatalog
{
    /// <summary>
    /// Keys that are split out of <c>settings</c> and stored encrypted in <c>provider_settings.protected_secrets</c>.
    /// <c>publicKey</c> (SendGrid's webhook verification key) is not secret, but it decides what is trusted, so it is
    /// stored the same way and never echoed back.
    /// </summary>
    public static readonly FrozenSet<string> SecretKeys = FrozenSet.Create(StringComparer.Ordinal,
        "authToken", "apiKey", "accessToken", "appSecret", "verifyToken", "webhookSecret", "publicKey", "password");

    public static readonly IReadOnlyList<ProviderDescriptor> All =
    [
        new("sandbox", Enum.GetValues<Channel>(), [], [], null),
        new("twilio", [Channel.Sms, Channel.Whatsapp, Channel.Call, Channel.Voicemail], ["accountSid"], ["authToken"],
            "https://api.twilio.com"),
        new("meta", [Channel.Whatsapp], ["phoneNumberId"], ["accessToken"], "https://graph.facebook.com"),
        new("sendgrid", [Channel.Email], ["from"], ["apiKey"], "https://api.sendgrid.com"),
        new("smtp", [Channel.Email], ["host", "from"], [], null),
        // The generic gateway has no well-known address: the operator must say where it is.
        new("http", [Channel.Rvm, Channel.Imessage], ["baseUrl"], ["webhookSecret"], null),
    ];

    static readonly FrozenDictionary<string, ProviderDescriptor> ByName = All.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    public static ProviderDescriptor? Find(string? name) => name is not null && ByName.TryGetValue(name, out var d) ? d : null;

    public static IEnumerable<string> NamesFor(Channel channel) => All.Where(p => p.Supports(channel)).Select(p => p.Name);
}
