using System.Text;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

/// <summary>Vector from the Standard Webhooks spec and reference libraries (standard-webhooks/standard-webhooks).</summary>
public sealed class StandardWebhooksSignatureTests
{
    const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const long Timestamp = 1614265330;
    const string Body = "{\"test\": 2432232314}";
    const string Expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    static SignatureVerdict Verify(string? signature = Expected, string body = Body, string? id = Id,
        string? timestamp = "1614265330", DateTimeOffset? now = null, string secret = Secret) =>
        StandardWebhooksSignature.Verify(secret, id, timestamp, signature, Encoding.UTF8.GetBytes(body), now ?? Now);

    [Fact]
    public void The_published_vector_signs_and_verifies()
    {
        Assert.Equal(Expected, StandardWebhooksSignature.Sign(Secret, Id, Timestamp, Encoding.UTF8.GetBytes(Body)));
        Assert.Equal(SignatureVerdict.Valid, Verify());
    }

    [Fact]
    public void Any_of_several_signatures_may_match() =>
        Assert.True(Verify("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,abc " + Expected).IsValid);

    [Fact]
    public void One_changed_byte_in_the_body_fails() =>
        Assert.Equal(SignatureFailure.BadSignature, Verify(body: "{\"test\": 2432232315}").Reason);

    [Fact]
    public void One_changed_byte_in_the_signature_fails() =>
        Assert.Equal(SignatureFailure.BadSignature, Verify("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF=").Reason);

    [Fact]
    public void A_changed_id_fails() => Assert.Equal(SignatureFailure.BadSignature, Verify(id: "msg_p5jXN8AQM9LWM0D4loKWxJeK").Reason);

    [Fact]
    public void A_changed_timestamp_fails_even_inside_the_window() =>
        Assert.Equal(SignatureFailure.BadSignature, Verify(timestamp: "1614265331").Reason);

    [Fact]
    public void Another_secret_fails() =>
        Assert.False(Verify(secret: "whsec_" + Convert.ToBase64String(new byte[24])).IsValid);

    [Theory]
    [InlineData(-301, false)]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void The_timestamp_must_be_within_five_minutes_of_now(int offsetSeconds, bool valid)
    {
        var verdict = Verify(now: Now.AddSeconds(offsetSeconds));
        Assert.Equal(valid, verdict.IsValid);
        if (!valid) Assert.Equal(SignatureFailure.TimestampOutOfTolerance, verdict.Reason);
    }

    [Fact]
    public void Missing_headers_fail_with_their_reason()
    {
        Assert.Equal(SignatureFailure.MissingSignature, Verify(signature: null).Reason);
        Assert.Equal(SignatureFailure.MissingId, Verify(id: "").Reason);
        Assert.Equal(SignatureFailure.MissingTimestamp, Verify(timestamp: null).Reason);
        Assert.Equal(SignatureFailure.MalformedHeader, Verify(timestamp: "16142653.30").Reason);
        Assert.Equal(SignatureFailure.MalformedHeader, Verify(signature: "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=").Reason);
        Assert.Equal(SignatureFailure.InvalidKey, Verify(secret: "whsec_***").Reason);
    }

    [Fact]
    public void A_secret_without_the_prefix_is_the_same_key() =>
        Assert.True(Verify(secret: Secret["whsec_".Length..]).IsValid);

    [Fact]
    public void Signing_a_malformed_secret_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => StandardWebhooksSignature.Sign("whsec_***", Id, Timestamp, []));
}
