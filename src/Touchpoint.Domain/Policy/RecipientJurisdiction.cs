namespace Touchpoint.Domain.Policy;

/// <summary>
/// Which legal calling window binds this message. Only phone channels to US recipients have one; for
/// other countries only the campaign's quiet hours apply (we do not model their rules yet).
/// </summary>
readonly record struct RecipientJurisdiction(LegalCallingWindow? Window, string Label, string Detail)
{
    const string NotPhone = "not_phone";
    const string UnknownLabel = "unknown";

    public static RecipientJurisdiction Resolve(PolicyRequest request, PhoneNumberFacts phone)
    {
        if (!RecipientTimeZone.IsPhoneChannel(request.Channel))
            return new(null, NotPhone, "legal windows apply to phone channels only");
        if (!string.IsNullOrWhiteSpace(request.Contact.UsState))
            return UnitedStates(LegalCallingWindow.ForState(request.Contact.UsState));
        if (phone.RegionCode == "US")
            return UnitedStates(LegalCallingWindow.ForState(phone.UsState));
        // A +1 number libphonenumber cannot place may still ring in the US: apply TCPA as a precaution.
        if (phone.RegionCode is null && phone.IsNanp)
            return UnitedStates(LegalCallingWindow.Federal);
        return phone.RegionCode is { } region
            ? new(null, region, "non-US number: only the campaign quiet hours apply")
            : new(null, UnknownLabel, "country unknown: only the campaign quiet hours apply");
    }

    static RecipientJurisdiction UnitedStates(LegalCallingWindow window) => new(window, window.Name, window.PassDetail);
}
