using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Auth;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Providers;

public static class ProvidersApi
{
    public static RouteGroupBuilder MapProvidersApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/providers").WithTags("Providers").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapGet("/", ListProviders).WithName("ListProviders");
        g.MapGet("/{channel}", GetProvider).WithName("GetProvider");
        g.MapPut("/{channel}", PutProvider).WithName("PutProvider");
        return g;
    }

    static async Task<Ok<ProviderList>> ListProviders(HttpContext http, ProviderSettingsService providers, CancellationToken ct) =>
        TypedResults.Ok(new ProviderList(await providers.ListAsync(http.User.WorkspaceId(), ct)));

    static async Task<Results<Ok<ProviderView>, ValidationProblem>> GetProvider(
        string channel, HttpContext http, ProviderSettingsService providers, CancellationToken ct)
    {
        if (!WireName.TryParse<Channel>(channel, out var c)) return TypedResults.ValidationProblem(ChannelError());
        return TypedResults.Ok(await providers.GetAsync(http.User.WorkspaceId(), c, ct));
    }

    static async Task<Results<Ok<ProviderView>, ValidationProblem>> PutProvider(
        string channel, PutProviderRequest body, HttpContext http, ProviderSettingsService providers, CancellationToken ct)
    {
        if (!WireName.TryParse<Channel>(channel, out var c)) return TypedResults.ValidationProblem(ChannelError());
        var (view, errors) = await providers.PutAsync(http.User.WorkspaceId(), c, body, ct);
        return view is null ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(view);
    }

    static FieldErrors ChannelError()
    {
        var errors = new FieldErrors();
        errors.Add("channel", $"must be one of {string.Join(", ", WireName.All<Channel>())}.");
        return errors;
    }
}
