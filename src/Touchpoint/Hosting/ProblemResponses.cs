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
        if (status == StatusCodes.Status409Conflict && IsDashboardPage(http.Request))
        {
            await WriteConflictPageAsync(http, ct);
            return true;
        }

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

    /// <summary>A form of the dashboard (a browser asking for HTML, not the API or a provider's webhook).</summary>
    static bool IsDashboardPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/webhooks")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// An operator whose form lost a write race gets a page saying so, with a way back to the form they came from, instead
    /// of the API's problem document.
    /// </summary>
    static async Task WriteConflictPageAsync(HttpContext http, CancellationToken ct)
    {
        // A dashboard form posts to its own page, so that page is the way back (no Referer: the site sends no-referrer).
        // Never a protocol-relative address, which would lead off the site.
        var back = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        if (!back.StartsWith('/') || back.StartsWith("//", StringComparison.Ordinal) || back.StartsWith("/\\", StringComparison.Ordinal)) back = "/";
        http.Response.StatusCode = StatusCodes.Status409Conflict;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8" /><title>Changed meanwhile · Touchpoint</title><link rel="stylesheet" href="/dashboard.css" /></head>
            <body><main>
            <h1>Changed meanwhile</h1>
            <p role="alert">Someone else changed this while you were working on it, so nothing of your change was saved. Go back, look at it again and retry.</p>
            <p><a href="{System.Net.WebUtility.HtmlEncode(back)}">Back</a></p>
            </main></body>
            </html>
            """, ct);
    }

    static Dictionary<string, string[]> FieldError(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "body" : json.Path.TrimStart('$').TrimStart('.');
        return new() { [path.Length == 0 ? "body" : path] = [json.Message.Split(" Path:")[0]] };
    }

    static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
