using System.Text;
using Touchpoint.Domain.Webhooks;

namespace Touchpoint.Domain.Tests.Webhooks;

/// <summary>Vectors from Twilio's docs and SDK test suites (twilio-python tests/unit/test_request_validator.py).</summary>
public sealed class TwilioSignatureTests
{
    const string Token = "12345";
    const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const string Expected = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    const string JsonBody = "{\"property\": \"value\", \"boolean\": true}";
    const string JsonBodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    const string JsonSignature = "a9nBmqA0ju/hNViExpshrM61xv4=";

    static List<KeyValuePair<string, string>> Params() =>
    [
        new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"),
        new("From", "+14158675309"), new("To", "+18005551212"),
    ];

    [Fact]
    public void The_published_vector_computes_and_verifies()
    {
        Assert.Equal(Expected, TwilioSignature.Compute(Token, Url, Params()));
        Assert.Equal(SignatureVerdict.Valid, TwilioSignature.Verify(Token, Url, Params(), Expected));
    }

    [Fact]
    public void Parameter_order_on_the_wire_does_not_matter()
    {
        var shuffled = Params();
        shuffled.Reverse();
        Assert.True(TwilioSignature.Verify(Token, Url, shuffled, Expected).IsValid);
    }

    [Fact]
    public void A_raw_form_body_parses_to_the_same_signature()
    {
        var form = UrlEncodedForm.Parse("To=%2B18005551212&From=%2B14158675309&Digits=1234&Caller=%2B14158675309&CallSid=CA1234567890ABCDE");
        Assert.True(TwilioSignature.Verify(Token, Url, form, Expected).IsValid);
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=3")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2&x=1")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2")]
    public void One_changed_byte_in_the_url_fails(string url) =>
        Assert.Equal(SignatureFailure.BadSignature, TwilioSignature.Verify(Token, url, Params(), Expected).Reason);

    [Fact]
    public void One_changed_byte_in_a_param_fails()
    {
        var tampered = Params();
        tampered[2] = new("Digits", "1235");
        Assert.Equal(SignatureFailure.BadSignature, TwilioSignature.Verify(Token, Url, tampered, Expected).Reason);
    }

    [Fact]
    public void One_changed_byte_in_the_signature_fails() =>
        Assert.Equal(SignatureFailure.BadSignature, TwilioSignature.Verify(Token, Url, Params(), "RSOYDt4T1cUTdK1PDd93/VVr8B9=").Reason);

    [Fact]
    public void A_different_auth_token_fails() =>
        Assert.False(TwilioSignature.Verify("12346", Url, Params(), Expected).IsValid);

    [Theory]
    [InlineData(null, SignatureFailure.MissingSignature)]
    [InlineData("", SignatureFailure.MissingSignature)]
    [InlineData("not base64!", SignatureFailure.MalformedHeader)]
    public void Missing_or_malformed_headers_fail_with_their_reason(string? header, string reason) =>
        Assert.Equal(reason, TwilioSignature.Verify(Token, Url, Params(), header).Reason);

    // Twilio may sign with or without the port; its SDKs try both (the three signatures below are theirs).
    [Theory]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", Expected)]
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    [InlineData(Url, "kvajT1Ptam85bY51eRf/AJRuM3w=")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")]
    public void The_url_is_accepted_with_or_without_its_port(string url, string signature) =>
        Assert.True(TwilioSignature.Verify(Token, url, Params(), signature).IsValid);

    [Fact]
    public void Repeated_keys_contribute_each_value_sorted()
    {
        List<KeyValuePair<string, string>> ordered = [new("Digits", "1234"), new("Digits", "5678"), new("Sid", "CA123")];
        List<KeyValuePair<string, string>> reversed = [new("Sid", "CA123"), new("Digits", "5678"), new("Digits", "1234")];
        var signature = TwilioSignature.Compute(Token, Url, ordered);
        Assert.Equal(signature, TwilioSignature.Compute(Token, Url, reversed));
        Assert.NotEqual(signature, TwilioSignature.Compute(Token, Url, [new("Digits", "1234"), new("Sid", "CA123")]));
    }

    [Fact]
    public void A_repeated_identical_value_verifies_whether_or_not_the_signer_dropped_the_duplicate()
    {
        // twilio-python's vector (it drops the duplicate) and the keep-every-value spelling of the same form.
        var form = UrlEncodedForm.Parse("Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234");
        Assert.True(TwilioSignature.Verify(Token, Url, form, "IK+Dwps556ElfBT0I3Rgjkr1wJU=").IsValid);
        Assert.True(TwilioSignature.Verify(Token, Url, form, "tM//N+MVWOh7+ol2z8YCNxSY0Eg=").IsValid);
        Assert.False(TwilioSignature.Verify(Token, Url, form.Take(4), "tM//N+MVWOh7+ol2z8YCNxSY0Eg=").IsValid);
    }

    [Fact]
    public void The_json_variant_verifies_the_url_and_the_body_hash()
    {
        var url = Url + "&bodySHA256=" + JsonBodyHash;
        Assert.True(TwilioSignature.VerifyJsonBody(Token, url, Encoding.UTF8.GetBytes(JsonBody), JsonSignature).IsValid);
    }

    [Fact]
    public void The_json_variant_rejects_a_changed_body()
    {
        var url = Url + "&bodySHA256=" + JsonBodyHash;
        var verdict = TwilioSignature.VerifyJsonBody(Token, url, Encoding.UTF8.GetBytes(JsonBody.Replace("true", "tru3", StringComparison.Ordinal)), JsonSignature);
        Assert.Equal(SignatureFailure.BodyHashMismatch, verdict.Reason);
    }

    [Fact]
    public void The_json_variant_rejects_a_changed_hash_in_the_url()
    {
        var url = Url + "&bodySHA256=1" + JsonBodyHash[1..];
        Assert.Equal(SignatureFailure.BadSignature, TwilioSignature.VerifyJsonBody(Token, url, Encoding.UTF8.GetBytes(JsonBody), JsonSignature).Reason);
    }

    [Fact]
    public void The_json_variant_needs_the_body_hash_parameter() =>
        Assert.Equal(SignatureFailure.MissingBodyHash,
            TwilioSignature.VerifyJsonBody(Token, Url, Encoding.UTF8.GetBytes(JsonBody), JsonSignature).Reason);
}
