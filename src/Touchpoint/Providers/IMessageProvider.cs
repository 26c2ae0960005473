using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Providers;

/// <summary>
/// One way of getting a message to a person (sandbox, Twilio, Meta, SendGrid, SMTP, generic HTTP). Adapters
/// speak the provider's wire format; the dispatcher owns policy, status writes and retries. Registered as a
/// keyed service by <see cref="Name"/> (see <see cref="ProviderRegistration"/>).
/// </summary>
public interface IMessageProvider
{
    /// <summary>Stable name stored in <c>outbound_messages.provider</c> and <c>provider_settings.provider</c>.</summary>
    string Name { get; }

    bool Supports(Channel channel);

    /// <summary>
    /// Hands the message to the provider. Returns <see cref="ProviderSendResult.Accepted"/> or
    /// <see cref="ProviderSendResult.Rejected"/> when the provider answered; throws (HttpRequestException,
    /// timeout, 5xx after resilience) when the outcome is unknown or transient, so the dispatcher retries.
    /// </summary>
    Task<ProviderSendResult> SendAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct);

    /// <summary>
    /// After a crash between the provider call and the status write: did this idempotency key reach the
    /// provider? Providers without a lookup return <see cref="ProviderLookupResult.Unsupported"/> and the
    /// message becomes <c>uncertain</c> instead of being re-sent.
    /// </summary>
    Task<ProviderLookupResult> LookupAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct) =>
        Task.FromResult(ProviderLookupResult.Unsupported);
}

/// <summary>What a provider adapter gets to send: already rendered, already allowed by the policy engine.</summary>
public sealed record ProviderSendRequest(
    Guid WorkspaceId,
    Guid MessageId,
    string IdempotencyKey,
    Guid ContactId,
    Channel Channel,
    string To,
    string? From,
    string? Subject,
    string Body,
    Guid? CampaignId = null,
    int? StepIndex = null,
    /// <summary>WhatsApp Cloud API template name (outside the 24 h window only templates may go out).</summary>
    string? TemplateKey = null,
    JsonObject? Variables = null,
    /// <summary>Where the provider should post delivery callbacks (Twilio StatusCallback), built from PublicBaseUrl.</summary>
    string? StatusCallbackUrl = null,
    /// <summary>RFC 8058 one-click unsubscribe URL for email (List-Unsubscribe + List-Unsubscribe-Post).</summary>
    string? UnsubscribeUrl = null,
    /// <summary>When the recipient last wrote to us on this channel (WhatsApp 24 h customer-service window).</summary>
    DateTimeOffset? LastInboundAt = null,
    DateTimeOffset Now = default);

/// <summary>
/// A workspace's configuration of one provider for one channel: non-secret settings (including
/// <c>baseUrl</c> and <c>from</c>) and the decrypted secrets. Never logged, never returned by the API.
/// </summary>
public sealed record ProviderAccount(string Provider, Channel Channel, JsonObject Settings, JsonObject Secrets)
{
    /// <summary>A setting as text; numbers and booleans (<c>"port": 2525</c>, <c>"useTls": false</c>) read as their JSON text.</summary>
    public string? Setting(string key) => Settings.TryGetPropertyValue(key, out var v) && v is JsonValue j
        ? j.TryGetValue<string>(out var s) ? s : j.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? j.ToJsonString() : null
        : null;

    public string? Secret(string key) => Secrets.TryGetPropertyValue(key, out var v) && v is JsonValue j && j.TryGetValue<string>(out var s) ? s : null;

    public static ProviderAccount Sandbox(Channel channel) => new("sandbox", channel, [], []);
}

public abstract record ProviderSendResult
{
    /// <summary>The provider took the message. <paramref name="Status"/> is usually <c>sent</c> (Twilio "queued" counts as sent to us).</summary>
    public sealed record Accepted(string ProviderMessageId, MessageStatus Status = MessageStatus.Sent, decimal? Cost = null, string? Currency = null) : ProviderSendResult;

    /// <summary>
    /// The provider refused it with a code (Twilio 21211, Meta 131047, SMTP 550…). <paramref name="Permanent"/>
    /// overrides the <c>ProviderErrorClass</c> table when the adapter knows better.
    /// </summary>
    public sealed record Rejected(string ErrorCode, string ErrorMessage, bool? Permanent = null) : ProviderSendResult;
}

public abstract record ProviderLookupResult
{
    public static ProviderLookupResult Unsupported { get; } = new NotSupported();

    public sealed record NotSupported : ProviderLookupResult;

    /// <summary>The provider has it: the message was sent before the crash.</summary>
    public sealed record Found(string ProviderMessageId, MessageStatus Status) : ProviderLookupResult;

    /// <summary>The provider says it never got it: safe to send.</summary>
    public sealed record NotFound : ProviderLookupResult;
}
