using System.Net;
using System.Text.Json;

namespace Touchpoint.Tests.Infrastructure;

public static class ProblemAssert
{
    /// <summary>Asserts a problem+json response with the status and the §10 fields; returns its body.</summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        foreach (var field in new[] { "type", "title", "status", "detail" })
            Assert.True(body.TryGetProperty(field, out _), $"problem+json lacks '{field}': {text}");
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }

    public static void NamesField(JsonElement problem, string field)
    {
        Assert.True(problem.TryGetProperty("errors", out var errors), $"no errors in {problem}");
        Assert.True(errors.TryGetProperty(field, out _), $"errors do not name '{field}': {errors}");
    }
}
