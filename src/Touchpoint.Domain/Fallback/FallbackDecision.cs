using System.Text.Json.Serialization;
using Touchpoint.Domain.Enrollments;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Fallback;

[JsonConverter(typeof(JsonStringEnumConverter<FallbackAction>))]
public enum FallbackAction
{
    [JsonStringEnumMemberName("retry_same_channel")] RetrySameChannel,
    [JsonStringEnumMemberName("wait_cooldown")] WaitCooldown,
    [JsonStringEnumMemberName("switch_channel")] SwitchChannel,
    [JsonStringEnumMemberName("stop")] Stop,
}

/// <summary>
/// The engine's answer. <see cref="Channel"/> is where the next attempt goes (null for Stop);
/// <see cref="Until"/> is set for WaitCooldown; <see cref="DeadChannel"/> is a channel the latest outcome
/// proved permanently unusable, which the caller must record so it is never tried again.
/// <see cref="Reason"/> is a stable snake_case code; <see cref="Detail"/> is for humans.
/// </summary>
public sealed record FallbackDecision(
    FallbackAction Action,
    Channel? Channel,
    DateTimeOffset? Until,
    string Reason,
    string Detail,
    Channel? DeadChannel = null)
{
    public const string AllChannelsExhausted = "all_channels_exhausted";

    /// <summary>The enrollment cause a Stop implies, so the caller can feed the state machine.</summary>
    public EnrollmentCause? EnrollmentCause => Action != FallbackAction.Stop ? null : Reason switch
    {
        "replied" => Enrollments.EnrollmentCause.ReplyReceived,
        "opted_out" => Enrollments.EnrollmentCause.OptOut,
        "complained" => Enrollments.EnrollmentCause.Complaint,
        AllChannelsExhausted => Enrollments.EnrollmentCause.AllChannelsExhausted,
        _ => null,
    };

    internal static FallbackDecision Stop(string reason, string detail, Channel? dead = null) =>
        new(FallbackAction.Stop, null, null, reason, detail, dead);
}
