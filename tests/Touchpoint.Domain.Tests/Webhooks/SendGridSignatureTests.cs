using System.Security.Cryptography;
using System.Text;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

/// <summary>
/// Vector from SendGrid's own SDK tests (sendgrid-csharp tests/SendGrid.Tests/Helpers/EventWebhook/RequestValidatorTests.cs,
/// same values in sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js).
/// </summary>
public sealed class SendGridSignatureTests
{
    const string PublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
    const string OtherKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==";
    const string Payload = "{\"category\":\"example_payload\",\"event\":\"test_event\",\"message_id\":\"message_id\"}";
    const string Signature = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
    const string Timestamp = "1588788367";
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1588788367);

    static SignatureVerdict Verify(string key = PublicKey, string? signature = Signature, string? timestamp = Timestamp,
        string payload = Payload, TimeSpan? tolerance = null, DateTimeOffset? now = null) =>
        SendGridSignature.Verify(key, signature, timestamp, Encoding.UTF8.GetBytes(payload), now ?? Now, tolerance);

    [Fact]
    public void The_published_vector_verifies() => Assert.Equal(SignatureVerdict.Valid, Verify());

    [Fact]
    public void One_changed_byte_in_the_body_fails() =>
        Assert.Equal(SignatureFailure.BadSignature, Verify(payload: Payload.Replace("test_event", "test_evenT", StringComparison.Ordinal)).Reason);

    [Fact]
    public void One_changed_byte_in_the_signature_fails() =>
        Assert.Equal(SignatureFailure.BadSignature, Verify(signature: Signature.Replace("NH2j", "NH3j", StringComparison.Ordinal)).Reason);

    [Fact]
    public void One_changed_digit_in_the_timestamp_fails() =>
        Assert.Equal(SignatureFailure.BadSignature, Verify(timestamp: "1588788368").Reason);

    [Fact]
    public void Another_key_fails() => Assert.Equal(SignatureFailure.BadSignature, Verify(key: OtherKey).Reason);

    [Theory]
    [InlineData("", SignatureFailure.InvalidKey)]
    [InlineData("not a key", SignatureFailure.InvalidKey)]
    [InlineData("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", SignatureFailure.InvalidKey)]
    public void An_unusable_configured_key_is_reported_as_such(string key, string reason) =>
        Assert.Equal(reason, Verify(key: key).Reason);

    [Fact]
    public void Missing_headers_fail_with_their_reason()
    {
        Assert.Equal(SignatureFailure.MissingSignature, Verify(signature: null).Reason);
        Assert.Equal(SignatureFailure.MissingTimestamp, Verify(timestamp: " ").Reason);
        Assert.Equal(SignatureFailure.MalformedHeader, Verify(timestamp: "timestamp").Reason);
        Assert.Equal(SignatureFailure.MalformedHeader, Verify(signature: "signature?").Reason);
    }

    [Fact]
    public void A_replay_window_rejects_an_old_timestamp_only_when_asked_for()
    {
        var later = Now.AddMinutes(11);
        Assert.True(Verify(now: later).IsValid);
        Assert.True(Verify(now: later, tolerance: TimeSpan.FromMinutes(12)).IsValid);
        Assert.Equal(SignatureFailure.TimestampOutOfTolerance, Verify(now: later, tolerance: TimeSpan.FromMinutes(10)).Reason);
    }

    [Fact]
    public void A_pem_key_and_a_freshly_signed_payload_verify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = Encoding.UTF8.GetBytes("[{\"event\":\"delivered\"}]");
        var signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes("1700000000").Concat(body).ToArray(),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var pem = key.ExportSubjectPublicKeyInfoPem();
        Assert.True(SendGridSignature.Verify(pem, signature, "1700000000", body, DateTimeOffset.FromUnixTimeSeconds(1700000000)).IsValid);
        body[3] ^= 1;
        Assert.False(SendGridSignature.Verify(pem, signature, "1700000000", body, DateTimeOffset.FromUnixTimeSeconds(1700000000)).IsValid);
    }
}
