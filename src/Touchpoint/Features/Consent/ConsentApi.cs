using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Consent;

public static class ConsentApi
{
    public static RouteGroupBuilder MapConsentApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/contacts/{contactId:guid}/consents").WithTags("Consent")
            .RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPut("/{channel}", RecordConsent).WithName("RecordConsent").ProducesProblem(404);
        g.MapGet("/{channel}/history", ConsentHistory).WithName("ConsentHistory").ProducesProblem(404);
        return g;
    }

    static async Task<Results<Ok<ConsentRecordView>, ValidationProblem, ProblemHttpResult>> RecordConsent(
        Guid contactId, string channel, RecordConsentRequest body, ConsentService consents, CancellationToken ct)
    {
        if (body.Validate(channel) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var evidence = body.Evidence is { ValueKind: JsonValueKind.Object } e ? e.GetRawText() : null;
        var record = await consents.RecordAsync(contactId, WireName.Parse<Channel>(channel), WireName.Parse<ConsentStatus>(body.Status!),
            body.Source!.Trim(), body.PolicyVersion, evidence, ct);
        return record is null ? TypedResults.Problem($"Contact {contactId} not found.", statusCode: 404)
                              : TypedResults.Ok(ConsentRecordView.From(record));
    }

    static async Task<Results<Ok<ConsentHistory>, ValidationProblem, ProblemHttpResult>> ConsentHistory(
        Guid contactId, string channel, ConsentService consents, CancellationToken ct)
    {
        if (!WireName.TryParse<Channel>(channel, out var kind))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["channel"] = [$"must be one of {string.Join(", ", WireName.All<Channel>())}."],
            });
        var history = await consents.HistoryAsync(contactId, kind, ct);
        return history is null ? TypedResults.Problem($"Contact {contactId} not found.", statusCode: 404)
                               : TypedResults.Ok(new ConsentHistory(contactId, kind, [.. history.Select(ConsentRecordView.From)]));
    }
}
