using System.Text;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

/// <summary>
/// Meta publishes no test vector for X-Hub-Signature-256; GitHub documents the identical scheme (same header,
/// same <c>sha256=&lt;hex HMAC-SHA256&gt;</c>) with one, so that vector pins the computation.
/// </summary>
public sealed class MetaSignatureTests
{
    // docs.github.com "Validating webhook deliveries" → "Testing the webhook payload validation".
    const string Secret = "It's a Secret to Everybody";
    const string Body = "Hello, World!";
    const string Header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    static SignatureVerdict Verify(string body = Body, string? header = Header, string secret = Secret) =>
        MetaSignature.Verify(secret, Encoding.UTF8.GetBytes(body), header);

    [Fact]
    public void The_documented_hub_signature_vector_computes_and_verifies()
    {
        Assert.Equal(Header, MetaSignature.Compute(Secret, Encoding.UTF8.GetBytes(Body)));
        Assert.Equal(SignatureVerdict.Valid, Verify());
    }

    [Fact]
    public void Upper_case_hex_is_accepted() => Assert.True(Verify(header: "sha256=" + Header[7..].ToUpperInvariant()).IsValid);

    [Fact]
    public void One_changed_byte_in_the_body_fails() => Assert.Equal(SignatureFailure.BadSignature, Verify(body: "Hello, World?").Reason);

    [Fact]
    public void One_changed_byte_in_the_signature_fails() =>
        Assert.Equal(SignatureFailure.BadSignature, Verify(header: Header[..^1] + "8").Reason);

    [Fact]
    public void Another_app_secret_fails() => Assert.False(Verify(secret: "It's a Secret to Everybody!").IsValid);

    [Theory]
    [InlineData(null, SignatureFailure.MissingSignature)]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureFailure.MalformedHeader)]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureFailure.MalformedHeader)]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureFailure.MalformedHeader)]
    [InlineData("sha256=7571", SignatureFailure.MalformedHeader)]
    public void Missing_or_malformed_headers_fail_with_their_reason(string? header, string reason) =>
        Assert.Equal(reason, Verify(header: header).Reason);

    [Fact]
    public void The_subscription_handshake_echoes_the_challenge_for_the_right_token()
    {
        var query = UrlEncodedForm.Parse("hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=1158201444");
        Assert.Equal(new MetaChallengeDecision(true, "1158201444", null), MetaSubscriptionChallenge.Decide(query, "s3cret"));
    }

    [Theory]
    [InlineData("unsubscribe", "s3cret", "42", "s3cret", "mode_not_subscribe")]
    [InlineData("subscribe", "wrong", "42", "s3cret", "verify_token_mismatch")]
    [InlineData("subscribe", null, "42", "s3cret", "missing_verify_token")]
    [InlineData("subscribe", "s3cret", "", "s3cret", "missing_challenge")]
    [InlineData("subscribe", "", "42", "", "verify_token_not_configured")]
    public void The_subscription_handshake_is_refused_otherwise(string? mode, string? token, string? challenge, string? expected, string reason)
    {
        var decision = MetaSubscriptionChallenge.Decide(mode, token, challenge, expected);
        Assert.False(decision.Accepted);
        Assert.Null(decision.Challenge);
        Assert.Equal(reason, decision.Refusal);
    }
}
