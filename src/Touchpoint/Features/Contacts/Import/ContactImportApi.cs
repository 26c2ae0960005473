using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Touchpoint.Auth;

namespace Touchpoint.Features.Contacts.Import;

public static class ContactImportApi
{
    public static RouteHandlerBuilder MapContactImport(this RouteGroupBuilder contacts) =>
        contacts.MapPost("/import", ImportContacts).WithName("ImportContacts")
            .Accepts<string>("text/csv").ProducesProblem(413).ProducesProblem(415);

    static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> ImportContacts(
        HttpContext http, string? map, ContactImporter importer, CancellationToken ct)
    {
        // The host caps bodies at 1 MiB (§10); CSV imports alone may be up to 100 MiB.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = ContactImporter.MaxCsvBytes;
        if (http.Request.ContentLength > ContactImporter.MaxCsvBytes)
            return TypedResults.Problem("CSV imports are limited to 100 MiB; split the file.", statusCode: 413);
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
            || !(type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)
                 || type.MediaType.Equals("application/csv", StringComparison.OrdinalIgnoreCase)))
            return TypedResults.Problem("Send the contacts as Content-Type: text/csv.", statusCode: 415);

        using var csv = new StreamReader(http.Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var (result, errors) = await importer.ImportAsync(http.User.WorkspaceId(), csv, map, progress: null, ct);
        return result is null ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(result);
    }
}
