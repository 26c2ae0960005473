using System.Text;
using Touchpoint.Data.Entities;

namespace Touchpoint.Features.Idempotency;

/// <summary>Sends a stored response again, marked with <c>Idempotent-Replayed: true</c>.</summary>
sealed class ReplayedResult(IdempotencyRecord record) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = record.StatusCode;
        http.Response.Headers[IdempotencyFilter.ReplayedHeader] = "true";
        if (record.ResponseLocation is { } location) http.Response.Headers.Location = location;
        if (record.ResponseContentType is { } contentType) http.Response.ContentType = contentType;
        if (record.ResponseBody is { Length: > 0 } body) await http.Response.WriteAsync(body, Encoding.UTF8, http.RequestAborted);
    }
}

/// <summary>
/// Runs the handler's result into a buffer, sends it on, then keeps it when it was a 2xx (and forgets the key
/// otherwise, so errors are never cached).
/// </summary>
sealed class RecordingResult(IResult inner, Guid workspaceId, Guid recordId) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var ledger = http.RequestServices.GetRequiredService<IdempotencyService>();
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await inner.ExecuteAsync(http);
        }
        catch
        {
            http.Response.Body = original;
            await ledger.AbandonAsync(workspaceId, recordId, CancellationToken.None);
            throw;
        }
        http.Response.Body = original;

        // The handler's work is committed whatever the client does now, so its response is stored regardless of
        // RequestAborted: a retry after a dropped connection must get the replay, not a second effect.
        var status = http.Response.StatusCode;
        if (status is >= 200 and < 300)
            await ledger.CompleteAsync(workspaceId, recordId, status, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length),
                http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, CancellationToken.None);
        else
            await ledger.AbandonAsync(workspaceId, recordId, CancellationToken.None);

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }
}
