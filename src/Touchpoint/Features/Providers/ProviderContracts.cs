using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;
using Touchpoint.Features.Shared;
using Touchpoint.Providers;

namespace Touchpoint.Features.Providers;

/// <summary><c>PUT /api/v1/providers/{channel}</c>: secrets travel inside <c>settings</c> and are split out on save.</summary>
public sealed record PutProviderRequest(string? Provider, JsonObject? Settings)
{
    /// <param name="storedSecrets">Secret keys already stored for this channel and provider (kept when omitted).</param>
    public FieldErrors Validate(Channel channel, IReadOnlyCollection<string> storedSecrets)
    {
        var errors = new FieldErrors();
        var descriptor = ProviderCatalog.Find(Provider);
        if (descriptor is null || !descriptor.Supports(channel))
        {
            errors.Add("provider", $"must be one of {string.Join(", ", ProviderCatalog.NamesFor(channel))} for channel {WireName.Of(channel)}.");
            return errors;
        }
        var settings = Settings ?? [];
        foreach (var (key, value) in settings)
        {
            var field = $"settings.{key}";
            if (ProviderCatalog.SecretKeys.Contains(key))
            {
                if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String || Text(v) is not { Length: > 0 })
                    errors.Add(field, "must be a non-empty string.");
            }
            else if (value is not null and not JsonValue)
                errors.Add(field, "must be a string, number or boolean.");
        }
        bool Has(string key) => Text(settings[key]) is { Length: > 0 } || (ProviderCatalog.SecretKeys.Contains(key) && storedSecrets.Contains(key));
        foreach (var key in descriptor.RequiredSettings.Concat(descriptor.RequiredSecrets))
            if (!Has(key)) errors.Add($"settings.{key}", $"is required for {descriptor.Name}.");

        if (Text(settings["baseUrl"]) is { } baseUrl
            && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            errors.Add("settings.baseUrl", "must be an absolute http(s) URL.");

        switch (descriptor.Name)
        {
            case "twilio" when channel is Channel.Call or Channel.Voicemail && !Has("from"):
                errors.Add("settings.from", "is required for calls (the caller id, E.164).");
                break;
            case "twilio" when !Has("from") && !Has("messagingServiceSid"):
                errors.Add("settings.from", "give from (a sender number) or messagingServiceSid.");
                break;
            case "sendgrid" or "smtp" when Text(settings["from"]) is { } from && !from.Contains('@', StringComparison.Ordinal):
                errors.Add("settings.from", "must be an email address.");
                break;
            case "http" when Text(settings["webhookSecret"]) is { } secret && !IsStandardWebhooksSecret(secret):
                errors.Add("settings.webhookSecret", "must be whsec_ followed by base64 (Standard Webhooks).");
                break;
        }
        if (descriptor.Name == "smtp") ValidateSmtp(settings, errors, Has);
        return errors;
    }

    static void ValidateSmtp(JsonObject settings, FieldErrors errors, Func<string, bool> has)
    {
        if (Text(settings["port"]) is { } port && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536))
            errors.Add("settings.port", "must be a port number (1-65535).");
        if (Text(settings["useTls"]) is { } tls && !bool.TryParse(tls, out _))
            errors.Add("settings.useTls", "must be true or false.");
        if (has("username") && !has("password"))
            errors.Add("settings.password", "is required when username is given.");
    }

    static bool IsStandardWebhooksSecret(string secret)
    {
        try
        {
            StandardWebhooksSignature.Sign(secret, "check", 0, []);
            return secret.StartsWith("whsec_", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A scalar as text (numbers and booleans included), null for anything else.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => null,
        }
        : null;
}

/// <summary>A channel's provider as the API shows it: settings without secrets, and which secrets are stored.</summary>
public sealed record ProviderView(
    Channel Channel, string Provider, JsonObject Settings, IReadOnlyList<string> SecretsConfigured, bool Configured,
    DateTimeOffset? UpdatedAt);

public sealed record ProviderList(List<ProviderView> Items);
