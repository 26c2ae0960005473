using System.Text.Json.Serialization;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Inbound;

[JsonConverter(typeof(JsonStringEnumConverter<ReviewAction>))]
public enum ReviewAction
{
    /// <summary>The text was an opt-out: apply the full opt-out for the channel it came on.</summary>
    [JsonStringEnumMemberName("opt_out")] OptOut,
    /// <summary>It was not: the paused enrollments continue.</summary>
    [JsonStringEnumMemberName("not_opt_out")] NotOptOut,
}

public sealed record ResolveReviewRequest(string? Action, string? Note)
{
    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (!WireName.TryParse<ReviewAction>(Action, out _))
            errors.Add("action", $"must be one of {string.Join(", ", WireName.All<ReviewAction>())}.");
        if (Note is { Length: > 2000 }) errors.Add("note", "must be at most 2000 characters.");
        return errors;
    }
}

public sealed record ReviewListQuery(string? Status, int? Limit);

public sealed record PausedEnrollmentView(Guid Id, Guid CampaignId, EnrollmentState State, bool Paused);

public sealed record ReviewInboundView(Guid Id, Channel Channel, string From, string Body, DateTimeOffset ReceivedAt);

public sealed record ReviewView(
    Guid Id, string Kind, ReviewStatus Status, string Reason, Guid? ContactId, ReviewInboundView? Inbound,
    List<PausedEnrollmentView> PausedEnrollments, string? ResolvedBy, DateTimeOffset? ResolvedAt, DateTimeOffset CreatedAt)
{
    public static ReviewView From(ReviewItem r, InboundMessage? inbound, List<PausedEnrollmentView> paused) =>
        new(r.Id, r.Kind, r.Status, r.Reason, r.ContactId,
            inbound is null ? null : new ReviewInboundView(inbound.Id, inbound.Channel, inbound.FromAddress, inbound.Body, inbound.ReceivedAt),
            paused, r.ResolvedBy, r.ResolvedAt, r.CreatedAt);
}

public sealed record ReviewList(List<ReviewView> Items);
