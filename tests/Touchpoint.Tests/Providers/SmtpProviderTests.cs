using System.Net.Sockets;
using System.Text;
using Touchpoint.Domain.Fallback;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Providers;
using static Touchpoint.Tests.Providers.ProviderAdapterHost;

namespace Touchpoint.Tests.Providers;

public sealed class SmtpProviderTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static ProviderAccount Account(int port) => ProviderAdapterHost.Account("smtp", Channel.Email,
        new { host = "127.0.0.1", port, useTls = false, username = "mailer", from = "news@acme.example", fromName = "Acme News" },
        new { password = "s3cret" });

    [Fact]
    public async Task A_mail_is_authenticated_addressed_and_carries_one_click_unsubscribe_headers()
    {
        await using var smtp = new FakeSmtpServer();
        await using var host = new ProviderAdapterHost();
        var request = Request(Channel.Email, "ana@example.com", "Hello Ana", subject: "Your visit", unsubscribeUrl: "https://hooks.example/u/abc");
        var result = await host.Provider("smtp").SendAsync(request, Account(smtp.Port), Ct);

        var accepted = Assert.IsType<ProviderSendResult.Accepted>(result);
        Assert.Equal($"{request.MessageId:N}@acme.example", accepted.ProviderMessageId);
        var mail = Assert.Single(smtp.Transactions);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("\0mailer\0s3cret")), mail.AuthPlain);
        Assert.StartsWith("<news@acme.example>", mail.MailFrom, StringComparison.Ordinal);
        Assert.Equal("<ana@example.com>", Assert.Single(mail.Recipients));
        Assert.Contains($"Message-Id: <{request.MessageId:N}@acme.example>", mail.Data, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("List-Unsubscribe: <https://hooks.example/u/abc>\r\n", mail.Data, StringComparison.Ordinal);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", mail.Data, StringComparison.Ordinal);
        Assert.Contains("Subject: Your visit\r\n", mail.Data, StringComparison.Ordinal);
        Assert.Contains("From: Acme News <news@acme.example>\r\n", mail.Data, StringComparison.Ordinal);
        Assert.Contains("\r\n\r\nHello Ana", mail.Data, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("550 5.1.1 <ana@example.com>: Recipient address rejected: User unknown", "smtp_550", true, ProviderErrorKind.Permanent)]
    [InlineData("451 4.7.1 <ana@example.com>: Recipient address rejected: Greylisted, try again later", "smtp_451", false, ProviderErrorKind.Transient)]
    public async Task A_refused_recipient_is_permanent_on_5xx_and_transient_on_4xx(string reply, string code, bool permanent, ProviderErrorKind kind)
    {
        await using var smtp = new FakeSmtpServer { RecipientReply = reply };
        await using var host = new ProviderAdapterHost();
        var result = await host.Provider("smtp").SendAsync(Request(Channel.Email, "ana@example.com", "Hi", subject: "S"), Account(smtp.Port), Ct);

        var rejected = Assert.IsType<ProviderSendResult.Rejected>(result);
        Assert.Equal(code, rejected.ErrorCode);
        Assert.Equal(permanent, rejected.Permanent);
        Assert.Contains("Recipient address rejected", rejected.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(kind, ProviderErrorClass.Classify(rejected.ErrorCode).Kind);
        Assert.Empty(smtp.Transactions);
    }

    [Fact]
    public async Task No_server_listening_is_an_unknown_outcome_that_throws()
    {
        int port;
        using (var probe = new TcpListener(System.Net.IPAddress.Loopback, 0)) { probe.Start(); port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port; }
        await using var host = new ProviderAdapterHost();
        await Assert.ThrowsAnyAsync<SocketException>(() =>
            host.Provider("smtp").SendAsync(Request(Channel.Email, "ana@example.com", "Hi", subject: "S"), Account(port), Ct));
    }
}
