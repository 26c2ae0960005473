using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Domain.Policy;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Policy;

public sealed record EvaluatePolicyRequest(Guid? ContactId, string? Channel, DateTimeOffset? At, Guid? CampaignId, string? Purpose);

public sealed record PolicyDecisionView(
    bool AllowSend, string ReasonCode, IReadOnlyList<RuleOutcome> RuleTrace, DateTimeOffset? NextAllowedAt,
    string RecipientTimeZone, TimeZoneSource TimeZoneSource, string Jurisdiction)
{
    public static PolicyDecisionView From(PolicyVerdict v) => new(v.AllowSend, v.ReasonCode, v.RuleTrace,
        v.NextAllowedAt?.ToDateTimeOffset(), v.RecipientTimeZone, v.RecipientTimeZoneSource, v.Jurisdiction);
}

public static class PolicyApi
{
    public static RouteGroupBuilder MapPolicyApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/policy").WithTags("Policy").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/evaluate", Evaluate).WithName("EvaluatePolicy");
        return g;
    }

    /// <summary>What the engine would decide now (or at <c>at</c>); sends and records nothing.</summary>
    static async Task<Results<Ok<PolicyDecisionView>, ValidationProblem, ProblemHttpResult>> Evaluate(
        EvaluatePolicyRequest body, PolicyGate gate, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body.ContactId is null) errors.Add("contactId", "is required.");
        if (!WireName.TryParse<Channel>(body.Channel, out var channel))
            errors.Add("channel", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
        var purpose = MessagePurpose.Marketing;
        if (body.Purpose is not null && !Enum.TryParse(body.Purpose.Replace("_", "", StringComparison.Ordinal), true, out purpose))
            errors.Add("purpose", "must be marketing or transactional_reply.");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var verdict = await gate.EvaluateAsync(body.ContactId!.Value, channel, purpose, body.CampaignId, body.At?.ToUniversalTime(), ct);
        return verdict is null
            ? TypedResults.Problem($"Contact {body.ContactId} not found.", statusCode: 404)
            : TypedResults.Ok(PolicyDecisionView.From(verdict));
    }
}
