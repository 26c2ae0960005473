namespace Touchpoint.Hosting;

/// <summary>
/// Section <c>Touchpoint:SecurityHeaders</c>. The policy forbids framing (clickjacking), plugins and foreign
/// scripts; a page that needs more may set its own <c>Content-Security-Policy</c>, which is then kept.
/// </summary>
public sealed class SecurityHeadersOptions
{
    public const string Section = "Touchpoint:SecurityHeaders";

    public string ContentSecurityPolicy { get; set; } =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    public string ReferrerPolicy { get; set; } = "no-referrer";
}

static class SecurityHeaders
{
    /// <summary>First in the pipeline and applied as the response starts, so errors, 404s and 429s carry the headers too.</summary>
    public static void UseSecurityHeaders(this WebApplication app)
    {
        var options = app.Configuration.GetSection(SecurityHeadersOptions.Section).Get<SecurityHeadersOptions>() ?? new();
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.TryAdd("Content-Security-Policy", options.ContentSecurityPolicy);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers.TryAdd("Referrer-Policy", options.ReferrerPolicy);
                return Task.CompletedTask;
            });
            return next(http);
        });
    }
}
