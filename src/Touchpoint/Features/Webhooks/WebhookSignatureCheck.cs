using System.Text;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Features.Webhooks;

/// <summary>Picks the provider's verifier and feeds it the raw request exactly as received (ARCHITECTURE §6).</summary>
public static class WebhookSignatureCheck
{
    /// <summary>No secret configured for the provider: we refuse rather than accept unsigned callbacks.</summary>
    public const string NoSecretConfigured = "no_secret_configured";

    public static SignatureVerdict Verify(string provider, HttpRequest request, byte[] body, ProviderSecrets secrets,
        string publicBaseUrl, DateTimeOffset now)
    {
        var headers = request.Headers;
        return provider switch
        {
            WebhookProviders.Twilio when secrets.TwilioAuthToken is { } token => VerifyTwilio(token, request, body, publicBaseUrl),
            WebhookProviders.SendGrid when secrets.SendGridPublicKey is { } key => SendGridSignature.Verify(key,
                headers[SendGridSignature.SignatureHeader].ToString(), headers[SendGridSignature.TimestampHeader].ToString(), body, now),
            WebhookProviders.Meta when secrets.MetaAppSecret is { } secret =>
                MetaSignature.Verify(secret, body, headers[MetaSignature.Header].ToString()),
            WebhookProviders.Http when secrets.HttpWebhookSecret is { } secret => StandardWebhooksSignature.Verify(secret,
                headers[StandardWebhooksSignature.IdHeader].ToString(), headers[StandardWebhooksSignature.TimestampHeader].ToString(),
                headers[StandardWebhooksSignature.SignatureHeader].ToString(), body, now),
            _ => SignatureVerdict.Invalid(NoSecretConfigured),
        };
    }

    /// <summary>The URL Twilio signed: the configured public base + path + query, as Twilio was told to call it.</summary>
    public static string PublicUrl(string publicBaseUrl, HttpRequest request) =>
        publicBaseUrl.TrimEnd('/') + request.PathBase + request.Path + request.QueryString;

    static SignatureVerdict VerifyTwilio(string token, HttpRequest request, byte[] body, string publicBaseUrl)
    {
        var url = PublicUrl(publicBaseUrl, request);
        var header = request.Headers[TwilioSignature.Header].ToString();
        return request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
            ? TwilioSignature.VerifyJsonBody(token, url, body, header)
            : TwilioSignature.Verify(token, url, UrlEncodedForm.Parse(Encoding.UTF8.GetString(body)), header);
    }
}
