using Touchpoint.Domain.Fallback;

namespace Touchpoint.Domain.Tests.Fallback;

public sealed class ProviderErrorClassTests
{
    [Theory]
    [InlineData("21610", ProviderErrorKind.OptedOut)]
    [InlineData("21211", ProviderErrorKind.Permanent)]
    [InlineData("21614", ProviderErrorKind.Permanent)]
    [InlineData("30006", ProviderErrorKind.Permanent)]
    [InlineData("30005", ProviderErrorKind.Permanent)]
    [InlineData("30003", ProviderErrorKind.Transient)]
    [InlineData("30007", ProviderErrorKind.Transient)]
    [InlineData("30008", ProviderErrorKind.Transient)]
    [InlineData("bounce", ProviderErrorKind.Permanent)]
    [InlineData("BOUNCE", ProviderErrorKind.Permanent)]
    [InlineData("dropped", ProviderErrorKind.Permanent)]
    [InlineData("blocked", ProviderErrorKind.Transient)]
    [InlineData(" deferred ", ProviderErrorKind.Transient)]
    [InlineData("20003", ProviderErrorKind.Transient)]
    [InlineData("131047", ProviderErrorKind.Transient)]
    [InlineData("131026", ProviderErrorKind.Permanent)]
    [InlineData("131050", ProviderErrorKind.OptedOut)]
    [InlineData("132001", ProviderErrorKind.Permanent)]
    [InlineData("130429", ProviderErrorKind.Transient)]
    [InlineData("smtp_550", ProviderErrorKind.Permanent)]
    [InlineData("smtp_554", ProviderErrorKind.Permanent)]
    [InlineData("smtp_557", ProviderErrorKind.Permanent)]
    [InlineData("smtp_451", ProviderErrorKind.Transient)]
    [InlineData("smtp_499", ProviderErrorKind.Transient)]
    [InlineData("smtp_535", ProviderErrorKind.Transient)]
    [InlineData("http_400", ProviderErrorKind.Permanent)]
    [InlineData("http_401", ProviderErrorKind.Transient)]
    [InlineData("99999", ProviderErrorKind.Transient)]
    [InlineData("", ProviderErrorKind.Transient)]
    public void Provider_codes_classify_as_documented(string code, ProviderErrorKind kind)
    {
        Assert.Equal(kind, ProviderErrorClass.Classify(code).Kind);
    }

    [Fact]
    public void Opt_out_errors_count_as_permanent()
    {
        Assert.True(ProviderErrorClass.Classify("21610").IsPermanent);
        Assert.False(ProviderErrorClass.Classify("30008").IsPermanent);
    }

    [Theory]
    [InlineData(OutcomeKind.Bounced, null, true)]
    [InlineData(OutcomeKind.Bounced, "blocked", false)]
    [InlineData(OutcomeKind.Failed, null, false)]
    [InlineData(OutcomeKind.Failed, "21211", true)]
    [InlineData(OutcomeKind.Undelivered, "30006", true)]
    [InlineData(OutcomeKind.Undelivered, "30003", false)]
    [InlineData(OutcomeKind.Sent, "21211", false)]
    public void Outcomes_are_permanent_failures_only_when_their_kind_and_code_say_so(OutcomeKind kind, string? code, bool permanent)
    {
        Assert.Equal(permanent, new DeliveryOutcome(kind, code).IsPermanentFailure);
    }
}
