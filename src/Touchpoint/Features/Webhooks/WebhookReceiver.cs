using Microsoft.AspNetCore.Http.HttpResults;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Features.Webhooks;

public sealed record WebhookReceipt(Guid DeliveryId, string Outcome);

/// <summary>
/// The receiver pipeline of ARCHITECTURE §6: read raw → verify signature → archive and apply, committed together
/// with other requests of the moment by <see cref="WebhookIngestBatcher"/> (the row and its verdict are one INSERT).
/// Anonymous requests: the signature is the authentication, and every query names the workspace explicitly.
/// </summary>
public sealed class WebhookReceiver(WebhookArchive archive, WebhookSecrets secrets,
    WebhookIngestBatcher ingest, TimeProvider clock, IConfiguration config, ILogger<WebhookReceiver> log)
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
        var (delivery, tooLarge) = await archive.ReadAsync(http.Request, id, provider, ct);
        http.Response.Headers[DeliveryIdHeader] = delivery.Id.ToString();
        if (tooLarge)
            return TypedResults.Problem($"Webhook bodies are limited to {WebhookArchive.BodyLimit} bytes.", statusCode: 413);

        // Checked in memory on the archived bytes, so the raw row and its verdict are one INSERT.
        var keys = await secrets.ForAsync(id, provider, ct);
        var verdict = Verify(() => WebhookSignatureCheck.Verify(provider, http.Request, delivery.Body, keys, PublicBaseUrl, clock.GetUtcNow()));
        var processed = await ArchiveWithVerdictAsync(delivery, verdict, ct);
        if (!verdict.IsValid)
            return TypedResults.Problem($"Webhook signature rejected: {verdict.Reason}.", statusCode: 401);
        return provider == WebhookProviders.Twilio
            ? TypedResults.Content(EmptyTwiml, "text/xml")
            : TypedResults.Ok(new WebhookReceipt(processed.Id, WireName.Of(processed.Outcome)));
    }

    /// <summary>Meta's subscription handshake: echo <c>hub.challenge</c> only for our verify token.</summary>
    public async Task<Results<ContentHttpResult, ProblemHttpResult>> MetaChallengeAsync(string workspaceId, HttpContext http, CancellationToken ct)
    {
        if (await FindWorkspaceAsync(workspaceId, ct) is not { } id)
            return TypedResults.Problem($"Workspace '{workspaceId}' not found.", statusCode: 404);
        var (delivery, tooLarge) = await archive.ReadAsync(http.Request, id, WebhookProviders.Meta, ct);
        http.Response.Headers[DeliveryIdHeader] = delivery.Id.ToString();
        if (tooLarge)
            return TypedResults.Problem($"Webhook bodies are limited to {WebhookArchive.BodyLimit} bytes.", statusCode: 413);
        var expected = (await secrets.ForAsync(id, WebhookProviders.Meta, ct)).MetaVerifyToken;
        var query = http.Request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))).ToList();
        var decision = expected is null
            ? new MetaChallengeDecision(false, null, WebhookSignatureCheck.NoSecretConfigured)
            : MetaSubscriptionChallenge.Decide(query, expected);
        var verdict = decision.Accepted ? SignatureVerdict.Valid : SignatureVerdict.Invalid(decision.Refusal ?? "refused");
        await ArchiveWithVerdictAsync(delivery, verdict, ct, acceptedOutcome: WebhookOutcome.Processed);
        if (!verdict.IsValid)
            return TypedResults.Problem($"Subscription verification refused: {verdict.Reason}.", statusCode: 403);
        return TypedResults.Content(decision.Challenge ?? "", "text/plain");
    }

    /// <summary>
    /// Stores the raw delivery with its verdict and, when verified, applies it; a refused delivery is final
    /// (<c>rejected_signature</c>, no side effects). <paramref name="acceptedOutcome"/>: verified but nothing to apply.
    /// </summary>
    Task<WebhookDelivery> ArchiveWithVerdictAsync(WebhookDelivery delivery, SignatureVerdict verdict, CancellationToken ct,
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
        var final = !verdict.IsValid || acceptedOutcome is not null;
        if (final) delivery.ProcessedAt = now;
        return ingest.SubmitAsync(delivery, process: !final, ct);
    }

    /// <summary>A verifier that throws on hostile input must not cost the archive row: it counts as a refusal.</summary>
    SignatureVerdict Verify(Func<SignatureVerdict> check)
    {
        try
        {
            return check();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            log.LogWarning(e, "Webhook signature check failed on malformed input");
            return SignatureVerdict.Invalid("malformed_signature_input");
        }
    }

    async Task<Guid?> FindWorkspaceAsync(string text, CancellationToken ct) =>
        Guid.TryParse(text, out var id) && await secrets.WorkspaceAsync(id, ct) is not null ? id : null;

    string PublicBaseUrl => config["Touchpoint:PublicBaseUrl"] ?? "http://localhost:5080";
}
