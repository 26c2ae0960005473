using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Webhooks;

/// <summary>
/// Stores every webhook request raw before anything else looks at it (ARCHITECTURE §6), so a rejected,
/// unparsed or failed delivery can always be inspected and reprocessed from the exact bytes.
/// </summary>
public sealed class WebhookArchive(TouchpointDb db, TimeProvider clock)
{
    public const int BodyLimit = 1024 * 1024;

    /// <summary>Set in <see cref="WebhookDelivery.HeadersJson"/> when the body exceeded the limit and was cut.</summary>
    public const string TruncatedMarker = "x-touchpoint-body-truncated";

    // Credentials of the caller never belong in an archive that operators browse.
    static readonly HashSet<string> Redacted = new(StringComparer.OrdinalIgnoreCase)
        { "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie" };

    public sealed record Archived(WebhookDelivery Delivery, bool TooLarge);

    /// <summary>
    /// Reads the raw request into a new delivery row, not yet saved: the receiver adds the signature verdict (checked
    /// in memory on these very bytes) and hands both to <see cref="WebhookIngestBatcher"/>, which inserts the row before
    /// anything is applied. A body over the limit is saved right here, as failed.
    /// </summary>
    public async Task<Archived> ReadAsync(HttpRequest request, Guid workspaceId, string provider, CancellationToken ct)
    {
        var (body, tooLarge) = await ReadLimitedAsync(request, ct);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
            headers[name] = Redacted.Contains(name) ? "[redacted]" : values.ToString();
        if (tooLarge) headers[TruncatedMarker] = $"body exceeded {BodyLimit} bytes; first {body.Length} kept";

        var delivery = NewDelivery(workspaceId, provider, request.Method, request.Path.Value ?? "",
            RedactQuery(request.QueryString), JsonSerializer.Serialize(headers), body);
        delivery.RemoteAddress = request.HttpContext.Connection.RemoteIpAddress?.ToString();
        if (tooLarge)
        {
            delivery.Outcome = WebhookOutcome.Failed;
            delivery.Error = "payload_too_large";
            await SaveAsync(delivery, ct);
        }
        return new Archived(delivery, tooLarge);
    }

    /// <summary>Inserts one delivery in its own implicit transaction, so it survives whatever processing does (a body
    /// over the limit; the one-by-one retry when an ingest batch could not be inserted).</summary>
    public async Task SaveAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Inserts many deliveries with one commit and one statement (an ingest batch): they survive whatever processing does.</summary>
    public Task SaveAllAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken ct) => db.InsertRowsAsync(deliveries, ct);

    /// <summary>A delivery that did not come over HTTP from a provider (the sandbox), to be archived the same way.</summary>
    public WebhookDelivery Synthetic(Guid workspaceId, string provider, string path, byte[] body) =>
        NewDelivery(workspaceId, provider, "POST", path, null, "{}", body);

    WebhookDelivery NewDelivery(Guid workspaceId, string provider, string method, string path, string? query, string headers, byte[] body)
    {
        var now = clock.GetUtcNow().ToUniversalTime();
        return new WebhookDelivery
        {
            WorkspaceId = workspaceId, Provider = provider, Method = method, Path = path, QueryString = query,
            HeadersJson = headers, Body = body, ReceivedAt = now, CreatedAt = now, UpdatedAt = now,
        };
    }

    // Meta's handshake puts our verify token in the query string.
    static string? RedactQuery(QueryString query) => query.HasValue
        ? Regex.Replace(query.Value!, @"(hub\.verify_token=)[^&]*", "$1[redacted]", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1))
        : null;

    /// <summary>Reads at most <see cref="BodyLimit"/> bytes; the rest is not read (the 413 ends the exchange).</summary>
    static async Task<(byte[] Body, bool TooLarge)> ReadLimitedAsync(HttpRequest request, CancellationToken ct)
    {
        // Lift Kestrel's own cap for this request so an oversized body can be archived (truncated) instead of throwing.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = null;
        if (request.ContentLength > BodyLimit) return (await ReadAsync(request.Body, BodyLimit, ct), true);
        var body = await ReadAsync(request.Body, BodyLimit + 1, ct);
        return body.Length > BodyLimit ? (body[..BodyLimit], true) : (body, false);
    }

    static async Task<byte[]> ReadAsync(Stream stream, int max, CancellationToken ct)
    {
        var buffer = new byte[Math.Min(max, 64 * 1024)];
        using var copy = new MemoryStream();
        while (copy.Length < max)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, max - copy.Length)), ct);
            if (read == 0) break;
            copy.Write(buffer, 0, read);
        }
        return copy.ToArray();
    }
}
