using System.Text.Json;
using System.Text.Json.Serialization;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Orchestration;

[JsonConverter(typeof(JsonStringEnumConverter<AttemptStatus>))]
public enum AttemptStatus
{
    /// <summary>Submitted (queued or scheduled for its allowed time); its outcome has not come back yet.</summary>
    [JsonStringEnumMemberName("pending")] Pending,
    /// <summary>Went out (sent, delivered, uncertain, or dry_run): the step's touch is made.</summary>
    [JsonStringEnumMemberName("sent")] Sent,
    /// <summary>The provider failed it (dispatch or a later delivery report); the fallback engine decides.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Policy said no for this channel (consent, dnc, address…): the channel is out for this step.</summary>
    [JsonStringEnumMemberName("denied")] Denied,
    /// <summary>Denied for a reason that is not about the channel (campaign paused, budget RED, fatigue): tried again later.</summary>
    [JsonStringEnumMemberName("voided")] Voided,
}

/// <summary>One touch attempt of the current step; <see cref="Key"/> is its outbox idempotency key.</summary>
public sealed record TouchAttempt(
    int Step,
    Channel Channel,
    int Number,
    string Key,
    DateTimeOffset At,
    AttemptStatus Status = AttemptStatus.Pending,
    string? Code = null,
    bool Permanent = false,
    DateTimeOffset? RetryAt = null);

/// <summary>
/// The orchestration state of one enrollment (stored in <c>enrollments.routing_json</c>). <see cref="Attempts"/>
/// belong to <see cref="Step"/> only; <see cref="Issued"/> counts every attempt ever issued per
/// <c>step:channel</c> and never goes down, so an attempt number — and with it the idempotency key — is never
/// reused, not even after a reactivation re-opens the sequence. <see cref="DeadChannels"/> are channels a
/// permanent failure proved unusable for the contact (landline, invalid number): never tried again.
/// </summary>
public sealed record TouchRouting
{
    public int Step { get; init; }
    public DateTimeOffset? StepDueAt { get; init; }
    public DateTimeOffset? StepSentAt { get; init; }
    public DateTimeOffset? LastSentAt { get; init; }
    public int TouchesSent { get; init; }
    public IReadOnlyList<TouchAttempt> Attempts { get; init; } = [];
    public IReadOnlyList<Channel> DeadChannels { get; init; } = [];
    public IReadOnlyDictionary<string, int> Issued { get; init; } = new Dictionary<string, int>();
    public DateTimeOffset? RepliedAt { get; init; }
    /// <summary>Why the sequence ended without a state change (e.g. <c>replied</c>); null while it runs.</summary>
    public string? Ended { get; init; }
    /// <summary>The contact's reactivation_after this enrollment was (re)opened for, so a period enrolls once.</summary>
    public DateTimeOffset? ReactivationPeriod { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static TouchRouting Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) || json == "{}" ? new TouchRouting()
            : JsonSerializer.Deserialize<TouchRouting>(json, JsonOptions) ?? new TouchRouting();

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public TouchAttempt? Pending => Attempts.FirstOrDefault(a => a.Status == AttemptStatus.Pending);

    public int IssuedCount(int step, Channel channel) => Issued.GetValueOrDefault(IssuedKey(step, channel));

    internal static string IssuedKey(int step, Channel channel) => $"{step}:{WireName.Of(channel)}";

    /// <summary>Back to step 0 with a clean slate, keeping what must survive: issued counters and dead channels.</summary>
    public TouchRouting Reopened(DateTimeOffset? period) => new()
    {
        Issued = Issued, DeadChannels = DeadChannels, ReactivationPeriod = period,
    };
}

/// <summary>The outbox idempotency key of a campaign touch: one per (enrollment, step, channel, attempt).</summary>
public static class TouchKeys
{
    public const string Prefix = "touch:";

    public static string For(Guid enrollmentId, int step, Channel channel, int attempt) =>
        $"{Prefix}{enrollmentId}:{step}:{WireName.Of(channel)}:{attempt}";
}
