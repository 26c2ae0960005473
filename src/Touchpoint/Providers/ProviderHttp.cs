using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace Touchpoint.Providers;

/// <summary>Shared plumbing of the HTTP adapters: client registration with resilience, base URLs, unknown outcomes.</summary>
public static class ProviderHttp
{
    /// <summary>
    /// A typed client with the standard resilience pipeline (rate limiter, timeouts, circuit breaker per
    /// provider host), whose retry never repeats a send the provider may have received: a retried POST could
    /// text someone twice. Sends retry only when the connection could not be opened (nothing was sent); GETs
    /// (crash lookups) retry the standard way. Everything else is left to the dispatcher's job retries.
    /// </summary>
    public static IHttpClientBuilder AddProviderHttpClient<TClient>(this IServiceCollection services) where TClient : class
    {
        var builder = services.AddHttpClient<TClient>();
        builder.AddStandardResilienceHandler(o => o.Retry.ShouldHandle = ShouldRetry).SelectPipelineByAuthority();
        return builder;
    }

    public static ValueTask<bool> ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args)
    {
        if (args.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            return ValueTask.FromResult(true);
        var method = args.Context.GetRequestMessage()?.Method;
        return ValueTask.FromResult(method == HttpMethod.Get && HttpClientResiliencePredicates.IsTransient(args.Outcome));
    }

    /// <summary><c>baseUrl</c> from the account's settings (a test server, a regional endpoint), else the provider's own.</summary>
    public static string BaseUrl(ProviderAccount account, string defaultUrl) =>
        (account.Setting("baseUrl") is { Length: > 0 } configured ? configured : defaultUrl).TrimEnd('/');

    /// <summary>
    /// 5xx, 408 and 429 say nothing about whether the message will go out: throw so the dispatcher retries
    /// (or reconciles) instead of recording a rejection.
    /// </summary>
    public static void ThrowIfOutcomeUnknown(HttpResponseMessage response, string provider)
    {
        var status = response.StatusCode;
        if ((int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            throw new HttpRequestException($"{provider} answered {(int)status} {response.ReasonPhrase}; outcome unknown.", null, status);
    }

    public static string Require(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"Provider setting '{what}' is not configured.") : value;

    /// <summary>A string or number property as text (providers disagree on whether codes are numbers).</summary>
    public static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>The body as JSON, or an undefined element when it is not JSON (an HTML error page from a proxy).</summary>
    public static JsonElement ParseOrUndefined(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
