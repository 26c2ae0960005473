using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Suppressions;

public sealed record AddSuppressionRequest(
    Guid? ContactId, string? Value, string? Reason, string? Channel, DateTimeOffset? ExpiresAt, string? Note)
{
    public FieldErrors Validate(DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if ((ContactId is null) == string.IsNullOrWhiteSpace(Value))
            errors.Add(ContactId is null ? "value" : "contactId", "give exactly one of contactId (whole contact) or value (one address).");
        if (!WireName.TryParse<SuppressionReason>(Reason, out _))
            errors.Add("reason", $"must be one of {string.Join(", ", WireName.All<SuppressionReason>())}.");
        if (Channel is not null && !WireName.TryParse<Channel>(Channel, out _))
            errors.Add("channel", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
        if (ExpiresAt is { } at && at <= now) errors.Add("expiresAt", "must be in the future.");
        if (Note is { Length: > 2000 }) errors.Add("note", "must be at most 2000 characters.");
        return errors;
    }
}

public sealed record SuppressionListQuery(Guid? ContactId, string? Value, string? Reason, bool? IncludeRemoved);

public sealed record SuppressionView(
    Guid Id, Guid? ContactId, string? Value, Channel? Channel, SuppressionReason Reason, string? Note, string? CreatedBy,
    DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset? RemovedAt)
{
    public static SuppressionView From(Suppression s) =>
        new(s.Id, s.ContactId, s.Value, s.Channel, s.Reason, s.Note, s.CreatedBy, s.ExpiresAt, s.CreatedAt, s.RemovedAt);
}

public sealed record SuppressionList(List<SuppressionView> Items);

/// <summary>What <see cref="SuppressionService.AddAsync"/> needs; the value is normalized by the service.</summary>
public sealed record SuppressionInput(
    Guid? ContactId, string? Value, SuppressionReason Reason, Channel? Channel, DateTimeOffset? ExpiresAt,
    string? Note, string? CreatedBy);

public enum RemoveOutcome { Removed, NotFound, NeedsNewOptIn }
