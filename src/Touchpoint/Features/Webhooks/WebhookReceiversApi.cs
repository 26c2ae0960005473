namespace Touchpoint.Features.Webhooks;

/// <summary>Provider callbacks (ARCHITECTURE §10): anonymous, authenticated by each provider's signature.</summary>
public static class WebhookReceiversApi
{
    public static RouteGroupBuilder MapWebhookReceivers(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/webhooks").WithTags("Webhooks").AllowAnonymous();
        // The body is read raw by the archive (never model-bound): signatures cover the exact bytes.
        g.MapPost("/twilio/{workspaceId}", (string workspaceId, HttpContext http, WebhookReceiver r, CancellationToken ct) =>
            r.ReceiveAsync(WebhookProviders.Twilio, workspaceId, http, ct)).WithName("TwilioWebhook");
        g.MapPost("/sendgrid/{workspaceId}", (string workspaceId, HttpContext http, WebhookReceiver r, CancellationToken ct) =>
            r.ReceiveAsync(WebhookProviders.SendGrid, workspaceId, http, ct)).WithName("SendGridWebhook");
        g.MapGet("/meta/{workspaceId}", (string workspaceId, HttpContext http, WebhookReceiver r, CancellationToken ct) =>
            r.MetaChallengeAsync(workspaceId, http, ct)).WithName("MetaWebhookChallenge");
        g.MapPost("/meta/{workspaceId}", (string workspaceId, HttpContext http, WebhookReceiver r, CancellationToken ct) =>
            r.ReceiveAsync(WebhookProviders.Meta, workspaceId, http, ct)).WithName("MetaWebhook");
        g.MapPost("/http/{workspaceId}", (string workspaceId, HttpContext http, WebhookReceiver r, CancellationToken ct) =>
            r.ReceiveAsync(WebhookProviders.Http, workspaceId, http, ct)).WithName("GenericHttpWebhook");
        return g;
    }
}
