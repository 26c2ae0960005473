using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Attestations;

public sealed record CreateAttestationRequest(
    List<string>? Channels, Guid? CampaignId, string? ConsentBasis, string? AttestedBy, DateTimeOffset? ExpiresAt)
{
    public FieldErrors Validate(DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (Channels is not { Count: > 0 }) errors.Add("channels", "must list at least one channel.");
        for (var i = 0; i < (Channels?.Count ?? 0); i++)
            if (!WireName.TryParse<Channel>(Channels![i], out _))
                errors.Add($"channels[{i}]", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
        errors.Required("consentBasis", ConsentBasis);
        if (ConsentBasis is { Length: > 2000 }) errors.Add("consentBasis", "must be at most 2000 characters.");
        errors.Required("attestedBy", AttestedBy);
        if (AttestedBy is { Length: > 200 }) errors.Add("attestedBy", "must be at most 200 characters.");
        if (ExpiresAt is not { } at) errors.Add("expiresAt", "is required.");
        else if (at <= now) errors.Add("expiresAt", "must be in the future.");
        return errors;
    }
}

public sealed record AttestationView(
    Guid Id, List<Channel> Channels, Guid? CampaignId, string ConsentBasis, string AttestedBy, bool Granted,
    DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt)
{
    public static AttestationView From(OutreachAttestation a) =>
        new(a.Id, [.. a.Channels.Select(WireName.Parse<Channel>)], a.CampaignId, a.ConsentBasis, a.AttestedBy, a.Granted,
            a.ExpiresAt, a.CreatedAt);
}

public sealed record AttestationList(List<AttestationView> Items);
