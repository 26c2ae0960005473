using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Touchpoint.Hosting;

/// <summary>
/// Turns request-reading failures (malformed JSON, body too large, wrong content type) into problem+json
/// that names the field when the JSON reader knows it, a lost write race into a 409; anything else is a 500 without internals.
/// </summary>
sealed class ProblemResponses(IProblemDetailsService problems, ILogger<ProblemResponses> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, detail, errors) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } bad =>
                (bad.StatusCode, "The request body is not valid JSON for this endpoint.", FieldError(json)),
            BadHttpRequestException bad => (bad.StatusCode, bad.Message, null),
            // Someone else changed the row between this request's read and its write; nothing of it was stored.
            _ when Touchpoint.Data.WriteConflict.Is(exception) =>
                (StatusCodes.Status409Conflict, "The resource was changed by someone else meanwhile; nothing was stored. Read it again and retry.", null),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred; it has been logged.", null),
        };
        if (status >= 500) log.LogError(exception, "Unhandled error on {Path}", http.Request.Path);

        http.Response.StatusCode = status;
        var context = new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail, Title = ReasonPhrase(status) },
        };
        if (errors is not null) context.ProblemDetails.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(context);
    }

    static Dictionary<string, string[]> FieldError(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "body" : json.Path.TrimStart('$').TrimStart('.');
        return new() { [path.Length == 0 ? "body" : path] = [json.Message.Split(" Path:")[0]] };
    }

    static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
