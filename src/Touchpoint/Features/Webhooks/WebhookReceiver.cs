using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Features.Webhooks;

public sealed record WebhookReceipt(Guid DeliveryId, string Outcome);

/// <summary>
/// The receiver pipeline of ARCHITECTURE §6: archive raw → verify signature → <see cref="WebhookProcessor"/>.
/// Anonymous requests: the signature is the authentication, and every query names the workspace explicitly.
/// </summary>
public sealed class WebhookReceiver(TouchpointDb db, WebhookArchive archive, WebhookSecrets secrets,
    WebhookProcessor processor, TimeProvider clock, IConfiguration config)
{
    public const string DeliveryIdHeader = "X-Touchpoint-Delivery-Id";
    public const string SignatureValid = "valid";

    // Twilio parses a messaging webhook's answer as TwiML; an empty <Response/> means "no auto-reply".
    const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public async Task<Results<Ok<WebhookReceipt>, ContentHttpResult, ProblemHttpResult>> ReceiveAsync(
        string provider, string workspaceId, HttpContext http, CancellationToken ct)
    {
        if (await FindWorkspaceAsync(workspaceId, ct) is not { } id)
            return TypedResults.Problem($"Workspace '{workspaceId}' not found.", statusCode: 404);
        var (delivery, tooLarge) = await archive.StoreAsync(http.Request, id, provider, ct);
        http.Response.Headers[DeliveryIdHeader] = delivery.Id.ToString();
        if (tooLarge)
            return TypedResults.Problem($"Webhook bodies are limited to {WebhookArchive.BodyLimit} bytes.", statusCode: 413);

        var keys = await secrets.ForAsync(id, provider, ct);
        var verdict = WebhookSignatureCheck.Verify(provider, http.Request, delivery.Body, keys, PublicBaseUrl, clock.GetUtcNow());
        if (!await RecordVerdictAsync(delivery, verdict, ct))
            return TypedResults.Problem($"Webhook signature rejected: {verdict.Reason}.", statusCode: 401);

        var processed = await processor.ProcessAsync(delivery, ct);
        return provider == WebhookProviders.Twilio
            ? TypedResults.Content(EmptyTwiml, "text/xml")
            : TypedResults.Ok(new WebhookReceipt(processed.Id, WireName.Of(processed.Outcome)));
    }

    /// <summary>Meta's subscription handshake: echo <c>hub.challenge</c> only for our verify token.</summary>
    public async Task<Results<ContentHttpResult, ProblemHttpResult>> MetaChallengeAsync(string workspaceId, HttpContext http, CancellationToken ct)
    {
        if (await FindWorkspaceAsync(workspaceId, ct) is not { } id)
            return TypedResults.Problem($"Workspace '{workspaceId}' not found.", statusCode: 404);
        var (delivery, _) = await archive.StoreAsync(http.Request, id, WebhookProviders.Meta, ct);
        http.Response.Headers[DeliveryIdHeader] = delivery.Id.ToString();
        var expected = (await secrets.ForAsync(id, WebhookProviders.Meta, ct)).MetaVerifyToken;
        var query = http.Request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))).ToList();
        var decision = expected is null
            ? new MetaChallengeDecision(false, null, WebhookSignatureCheck.NoSecretConfigured)
            : MetaSubscriptionChallenge.Decide(query, expected);
        var verdict = decision.Accepted ? SignatureVerdict.Valid : SignatureVerdict.Invalid(decision.Refusal ?? "refused");
        if (!await RecordVerdictAsync(delivery, verdict, ct, acceptedOutcome: WebhookOutcome.Processed))
            return TypedResults.Problem($"Subscription verification refused: {verdict.Reason}.", statusCode: 403);
        return TypedResults.Content(decision.Challenge ?? "", "text/plain");
    }

    /// <summary>Stores the verdict; a refused delivery is final (<c>rejected_signature</c>, no side effects).</summary>
    async Task<bool> RecordVerdictAsync(WebhookDelivery delivery, SignatureVerdict verdict, CancellationToken ct,
        WebhookOutcome? acceptedOutcome = null)
    {
        var now = clock.GetUtcNow().ToUniversalTime();
        delivery.SignatureVerdict = verdict.IsValid ? SignatureValid : verdict.Reason;
        delivery.UpdatedAt = now;
        if (!verdict.IsValid)
        {
            delivery.Outcome = WebhookOutcome.RejectedSignature;
            delivery.Error = verdict.Reason;
        }
        else if (acceptedOutcome is { } outcome) delivery.Outcome = outcome;
        if (!verdict.IsValid || acceptedOutcome is not null) delivery.ProcessedAt = now;
        await db.SaveChangesAsync(ct);
        return verdict.IsValid;
    }

    async Task<Guid?> FindWorkspaceAsync(string text, CancellationToken ct) =>
        Guid.TryParse(text, out var id) && await db.Workspaces.AsNoTracking().AnyAsync(w => w.Id == id, ct) ? id : null;

    string PublicBaseUrl => config["Touchpoint:PublicBaseUrl"] ?? "http://localhost:5080";
}
