using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on a create/send endpoint (ARCHITECTURE §8): the same key with the same method, path
/// and body replays the stored response without running the handler; the same key with another request is
/// 422; a first use still running is 409. Only 2xx responses are stored, so a request that failed can be
/// fixed and retried under the same key. Without the header the endpoint behaves as usual.
/// </summary>
public sealed class IdempotencyFilter : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values)) return await next(context);
        if (http.User.FindFirst(ApiKeyAuthentication.WorkspaceClaim) is null) return await next(context);

        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl))
        {
            var errors = new FieldErrors();
            errors.Add(Header, $"must be one value of 1 to {MaxKeyLength} printable characters.");
            return TypedResults.ValidationProblem(errors);
        }

        var workspaceId = http.User.WorkspaceId();
        var path = $"{http.Request.PathBase}{http.Request.Path}{http.Request.QueryString}";
        var ledger = http.RequestServices.GetRequiredService<IdempotencyService>();
        var claim = await ledger.ClaimAsync(workspaceId, key, http.Request.Method, path, await HashBodyAsync(http.Request), http.RequestAborted);
        switch (claim)
        {
            case IdempotencyClaim.Replay replay:
                return new ReplayedResult(replay.Record);
            case IdempotencyClaim.Mismatch:
                return Problem(StatusCodes.Status422UnprocessableEntity,
                    $"This {Header} was already used for a different request (method, path or body); use a new key for a new request.");
            case IdempotencyClaim.InProgress:
                return Problem(StatusCodes.Status409Conflict,
                    $"A request with this {Header} is still in progress; retry once it has finished.");
        }

        var started = (IdempotencyClaim.Started)claim;
        try
        {
            var result = await next(context);
            return new RecordingResult(AsResult(result), workspaceId, started.RecordId);
        }
        catch
        {
            await ledger.AbandonAsync(workspaceId, started.RecordId, CancellationToken.None);
            throw;
        }
    }

    static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [Header] = [detail] } });

    /// <summary>SHA-256 of the raw body; <see cref="IdempotencyEndpoints.UseIdempotencyKeys"/> buffered it before binding read it.</summary>
    static async Task<string> HashBodyAsync(HttpRequest request)
    {
        if (!request.Body.CanSeek)
            throw new InvalidOperationException("The request body was not buffered: call app.UseIdempotencyKeys() before the endpoints.");
        request.Body.Position = 0;
        var hash = await SHA256.HashDataAsync(request.Body, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash);
    }

    static IResult AsResult(object? value) => value switch
    {
        IResult r => r,
        null => TypedResults.NoContent(),
        _ => TypedResults.Json(value),
    };
}
