using System.Net.Mail;
using PhoneNumbers;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Contacts;

/// <summary>
/// The one normalized spelling of an address per channel kind, so the same person is found again by reply,
/// import or suppression: E.164 for phone channels, lower-cased addresses for email, trimmed handles otherwise.
/// </summary>
public static class ChannelAddress
{
    static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static bool IsPhoneChannel(Channel kind) =>
        kind is Channel.Sms or Channel.Imessage or Channel.Whatsapp or Channel.Call or Channel.Voicemail or Channel.Rvm;

    /// <summary>Returns the normalized value, or null with the reason it cannot be one.</summary>
    public static (string? Value, string? Error) Normalize(Channel kind, string? raw, string region)
    {
        if (string.IsNullOrWhiteSpace(raw)) return (null, "is required.");
        var value = raw.Trim();
        if (IsPhoneChannel(kind))
        {
            // iMessage may also be addressed by Apple ID e-mail.
            if (kind == Channel.Imessage && value.Contains('@', StringComparison.Ordinal)) return NormalizeEmail(value);
            return NormalizePhone(value, region);
        }
        return kind == Channel.Email ? NormalizeEmail(value) : NormalizeHandle(value);
    }

    public static (string? Value, string? Error) NormalizePhone(string value, string region)
    {
        if (value.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase)) value = value["whatsapp:".Length..];
        try
        {
            var number = Phones.Parse(value, region.ToUpperInvariant());
            if (!Phones.IsValidNumber(number))
                return (null, $"'{value}' is not a valid phone number for region {region.ToUpperInvariant()}.");
            return (Phones.Format(number, PhoneNumberFormat.E164), null);
        }
        catch (NumberParseException e)
        {
            return (null, $"'{value}' is not a phone number ({e.ErrorType}).");
        }
    }

    static (string? Value, string? Error) NormalizeEmail(string value)
    {
        var lowered = value.ToLowerInvariant();
        var at = lowered.LastIndexOf('@');
        var valid = at > 0 && at < lowered.Length - 1 && lowered.IndexOf(' ', StringComparison.Ordinal) < 0
            && lowered[(at + 1)..].Contains('.', StringComparison.Ordinal)
            && MailAddress.TryCreate(lowered, out var parsed) && parsed.Address == lowered;
        return valid ? (lowered, null) : (null, $"'{value}' is not a valid e-mail address.");
    }

    static (string? Value, string? Error) NormalizeHandle(string value)
    {
        var handle = value.TrimStart('@');
        return handle.Length is > 0 and <= 320 && !handle.Any(char.IsWhiteSpace)
            ? (handle, null)
            : (null, $"'{value}' is not a valid handle.");
    }
}
