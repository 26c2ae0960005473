using System.Text.Json.Serialization;

namespace Touchpoint.Domain.Fallback;

[JsonConverter(typeof(JsonStringEnumConverter<OutcomeKind>))]
public enum OutcomeKind
{
    [JsonStringEnumMemberName("sent")] Sent,
    [JsonStringEnumMemberName("delivered")] Delivered,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("undelivered")] Undelivered,
    [JsonStringEnumMemberName("bounced")] Bounced,
    [JsonStringEnumMemberName("no_reply_within_window")] NoReplyWithinWindow,
    [JsonStringEnumMemberName("replied")] Replied,
    [JsonStringEnumMemberName("opted_out")] OptedOut,
    [JsonStringEnumMemberName("complained")] Complained,
}

/// <summary>
/// What became of the latest attempt. <see cref="Permanent"/> overrides the error-code classification when the
/// caller knows better; otherwise Failed/Undelivered follow <see cref="ProviderErrorClass"/> and a Bounced
/// without a code is a hard bounce.
/// </summary>
public sealed record DeliveryOutcome(OutcomeKind Kind, string? ErrorCode = null, bool? Permanent = null)
{
    public static DeliveryOutcome Sent { get; } = new(OutcomeKind.Sent);
    public static DeliveryOutcome Delivered { get; } = new(OutcomeKind.Delivered);
    public static DeliveryOutcome NoReplyWithinWindow { get; } = new(OutcomeKind.NoReplyWithinWindow);
    public static DeliveryOutcome Replied { get; } = new(OutcomeKind.Replied);
    public static DeliveryOutcome OptedOut { get; } = new(OutcomeKind.OptedOut);
    public static DeliveryOutcome Complained { get; } = new(OutcomeKind.Complained);
    public static DeliveryOutcome Bounced { get; } = new(OutcomeKind.Bounced);

    public static DeliveryOutcome Failed(string? errorCode, bool? permanent = null) => new(OutcomeKind.Failed, errorCode, permanent);

    public static DeliveryOutcome Undelivered(string? errorCode = null, bool? permanent = null) => new(OutcomeKind.Undelivered, errorCode, permanent);

    /// <summary>The classified error, for failures that carry a code.</summary>
    public ProviderError? Error => ErrorCode is null ? null : ProviderErrorClass.Classify(ErrorCode);

    /// <summary>True when this channel/address must never be tried again for the contact.</summary>
    public bool IsPermanentFailure => Kind switch
    {
        OutcomeKind.Failed or OutcomeKind.Undelivered => Permanent ?? Error?.IsPermanent ?? false,
        OutcomeKind.Bounced => Permanent ?? Error?.IsPermanent ?? true,
        _ => false,
    };
}
