using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Features.Idempotency;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Attestations;

/// <summary>Operators' signed statements that a consent basis exists; the policy engine requires one for call/voicemail/rvm.</summary>
public static class AttestationsApi
{
    public static RouteGroupBuilder MapAttestationsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/attestations").WithTags("Attestations").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", CreateAttestation).WithName("CreateAttestation").WithIdempotency();
        g.MapGet("/", ListAttestations).WithName("ListAttestations");
        return g;
    }

    static async Task<Results<Created<AttestationView>, ValidationProblem>> CreateAttestation(
        CreateAttestationRequest body, HttpContext http, TouchpointDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = body.Validate(now);
        if (body.CampaignId is { } campaignId && !await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
            errors.Add("campaignId", $"no campaign {campaignId} in this workspace.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var attestation = new OutreachAttestation
        {
            WorkspaceId = http.User.WorkspaceId(), AttestedBy = body.AttestedBy!.Trim(), ConsentBasis = body.ConsentBasis!.Trim(),
            // Stored in their wire spelling so the policy engine compares one form.
            Channels = [.. body.Channels!.Select(c => WireName.Of(WireName.Parse<Channel>(c))).Distinct()],
            CampaignId = body.CampaignId, ExpiresAt = body.ExpiresAt!.Value.ToUniversalTime(), CreatedAt = now, UpdatedAt = now,
        };
        db.Attestations.Add(attestation);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/attestations/{attestation.Id}", AttestationView.From(attestation));
    }

    static async Task<Ok<AttestationList>> ListAttestations(TouchpointDb db, CancellationToken ct)
    {
        var rows = await db.Attestations.AsNoTracking().OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(new AttestationList([.. rows.Select(AttestationView.From)]));
    }
}
