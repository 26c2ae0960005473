using NodaTime;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Policy;

/// <summary>
/// The recipient's zone: quiet hours and legal windows are about the recipient's clock, not ours.
/// Tried in order: address override → contact → phone number inference → workspace → UTC.
/// An invalid IANA id falls through to the next source.
/// </summary>
readonly record struct RecipientTimeZone(DateTimeZone Zone, TimeZoneSource Source)
{
    public static RecipientTimeZone Resolve(PolicyRequest request, PhoneNumberFacts phone)
    {
        if (TimeZoneCatalog.Find(request.Address?.TimeZone) is { } channelZone)
            return new(channelZone, TimeZoneSource.Channel);
        if (TimeZoneCatalog.Find(request.Contact.TimeZone) is { } contactZone)
            return new(contactZone, TimeZoneSource.Contact);
        if (TimeZoneCatalog.Find(phone.ZoneId) is { } phoneZone)
            return new(phoneZone, TimeZoneSource.PhoneNumber);
        if (TimeZoneCatalog.Find(request.Workspace.TimeZone) is { } workspaceZone)
            return new(workspaceZone, TimeZoneSource.Workspace);
        return new(DateTimeZone.Utc, TimeZoneSource.UtcFallback);
    }

    /// <summary>Phone channels carry an E.164 address that can be geolocated; the others cannot.</summary>
    public static bool IsPhoneChannel(Channel channel) => channel is Channel.Sms or Channel.Imessage
        or Channel.Whatsapp or Channel.Call or Channel.Voicemail or Channel.Rvm;
}
