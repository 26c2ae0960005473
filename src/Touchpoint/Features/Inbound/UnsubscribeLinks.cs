using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Features.Inbound;

/// <summary>Who a one-click unsubscribe token stands for: the e-mail send it was made for and its address.</summary>
public sealed record UnsubscribeTarget(Guid WorkspaceId, Guid ContactId, Guid MessageId, string Address);

/// <summary>
/// RFC 8058 one-click unsubscribe links. The token is the target protected (encrypted and authenticated) by ASP.NET
/// Data Protection under its own purpose, so it cannot be guessed, forged or re-targeted, and needs no table.
/// Links do not expire: RFC 8058 expects the header to keep working as long as the mail sits in an inbox.
/// </summary>
public sealed class UnsubscribeLinks(IDataProtectionProvider protection, IConfiguration config)
{
    const string Purpose = "Touchpoint.Unsubscribe.v1";
    readonly IDataProtector protector = protection.CreateProtector(Purpose);

    public string Token(UnsubscribeTarget t) =>
        protector.Protect($"{t.WorkspaceId:N}|{t.ContactId:N}|{t.MessageId:N}|{t.Address}");

    /// <summary>The URL for the <c>List-Unsubscribe</c> header of <paramref name="message"/> (the real recipient, not a qa_sink).</summary>
    public string For(OutboundMessage message)
    {
        var address = message.QaRedirectedFrom ?? message.ToAddress ?? "";
        var publicBase = (config["Touchpoint:PublicBaseUrl"] ?? "http://localhost:5080").TrimEnd('/');
        return $"{publicBase}/u/{Token(new UnsubscribeTarget(message.WorkspaceId, message.ContactId, message.Id, address))}";
    }

    /// <summary>Null for anything this host did not issue (tampered, truncated, another key ring or purpose).</summary>
    public UnsubscribeTarget? Read(string token)
    {
        string text;
        try
        {
            text = protector.Unprotect(token);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
        var parts = text.Split('|', 4);
        return parts.Length == 4 && Guid.TryParseExact(parts[0], "N", out var ws) && Guid.TryParseExact(parts[1], "N", out var contact)
            && Guid.TryParseExact(parts[2], "N", out var message) && parts[3].Length > 0
            ? new UnsubscribeTarget(ws, contact, message, parts[3]) : null;
    }

    public static bool IsEmail(OutboundMessage message) => message.Channel == Channel.Email;
}
