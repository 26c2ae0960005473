namespace Touchpoint.Hosting;

/// <summary>Default <c>detail</c> texts, so even a bare status (401 from auth, 404 from routing) explains itself.</summary>
static class ProblemDetail
{
    public static string For(int status) => status switch
    {
        400 => "The request is invalid.",
        401 => "Send a valid API key as `Authorization: Bearer <key>`.",
        403 => "This key may not perform this operation.",
        404 => "Nothing exists at this address for your workspace.",
        405 => "This address does not accept that HTTP method.",
        409 => "The request conflicts with the current state.",
        413 => "The request body is larger than this endpoint accepts.",
        415 => "Send the body with a supported Content-Type (application/json unless stated otherwise).",
        422 => "The request is well-formed but cannot be processed.",
        429 => "Too many requests; retry after the number of seconds in Retry-After.",
        _ => "The request failed.",
    };
}
