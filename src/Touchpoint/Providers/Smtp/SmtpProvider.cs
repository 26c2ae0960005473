using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Providers.Smtp;

/// <summary>
/// Email through any SMTP relay with MailKit. Settings: <c>host</c>, <c>from</c>, optional <c>port</c> (587),
/// <c>useTls</c> (true: TLS required — implicit on 465, STARTTLS otherwise; false: plain, for a local relay),
/// <c>username</c>, <c>fromName</c>; secret <c>password</c>. The Message-Id we set is the provider id.
/// A 5xx reply is a permanent rejection, a 4xx a transient one; no connection is an unknown outcome (throws).
/// </summary>
public sealed class SmtpProvider : IMessageProvider
{
    public const string ProviderName = "smtp";

    public string Name => ProviderName;

    public bool Supports(Channel channel) => channel == Channel.Email;

    public async Task<ProviderSendResult> SendAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct)
    {
        var host = ProviderHttp.Require(account.Setting("host"), "host");
        var port = int.TryParse(account.Setting("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 587;
        var useTls = !string.Equals(account.Setting("useTls"), "false", StringComparison.OrdinalIgnoreCase);
        var message = Build(request, account);
        var messageId = message.MessageId!;

        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds };
        try
        {
            var security = !useTls ? SecureSocketOptions.None : port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(host, port, security, ct);
            if (account.Setting("username") is { Length: > 0 } username)
                await client.AuthenticateAsync(username, account.Secret("password") ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
            return new ProviderSendResult.Accepted(messageId);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            // RFC 5321 §4.2.1: 5yz is a permanent negative completion, 4yz a transient one.
            return new ProviderSendResult.Rejected($"smtp_{code}", e.Message, Permanent: code >= 500);
        }
        catch (AuthenticationException e)
        {
            // Wrong credentials are the operator's to fix, not the recipient's fault: never kills the address.
            return new ProviderSendResult.Rejected("smtp_535", e.Message, Permanent: false);
        }
    }

    public static MimeMessage Build(ProviderSendRequest request, ProviderAccount account)
    {
        var fromAddress = request.From ?? ProviderHttp.Require(account.Setting("from"), "from");
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(account.Setting("fromName") ?? "", fromAddress));
        message.To.Add(MailboxAddress.Parse(request.To));
        message.Subject = request.Subject ?? "";
        var domain = fromAddress[(fromAddress.LastIndexOf('@') + 1)..];
        // Deterministic per message, so a resend after a crash carries the same Message-Id (receivers may dedupe).
        message.MessageId = $"{request.MessageId:N}@{domain}";
        message.Headers.Add("X-Touchpoint-Message-Id", request.MessageId.ToString());
        if (request.UnsubscribeUrl is not null)
        {
            // RFC 8058 one-click unsubscribe.
            message.Headers.Add("List-Unsubscribe", $"<{request.UnsubscribeUrl}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        message.Body = new TextPart(EmailBody.LooksLikeHtml(request.Body) ? "html" : "plain") { Text = request.Body };
        return message;
    }
}

/// <summary>Rendered templates are plain text unless they are an HTML document or fragment.</summary>
public static class EmailBody
{
    public static bool LooksLikeHtml(string body) =>
        body.TrimStart().StartsWith('<') && body.Contains("</", StringComparison.Ordinal);
}
