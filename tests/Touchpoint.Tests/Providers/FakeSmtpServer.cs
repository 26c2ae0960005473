using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Touchpoint.Tests.Providers;

/// <summary>One SMTP transaction as the fake server saw it.</summary>
public sealed record SmtpTransaction(string? AuthPlain, string MailFrom, List<string> Recipients, string Data);

/// <summary>
/// Just enough of an SMTP server (RFC 5321: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, QUIT) on a loopback port
/// to check what MailKit puts on the wire and to answer RCPT with a chosen reply.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;

    public FakeSmtpServer()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    public ConcurrentQueue<SmtpTransaction> Transactions { get; } = new();

    /// <summary>The reply to every RCPT TO; e.g. <c>550 5.1.1 User unknown</c>.</summary>
    public string RecipientReply { get; set; } = "250 2.1.5 Ok";

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 fake.smtp.test ESMTP ready");
        string? auth = null, from = null;
        var recipients = new List<string>();
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-fake.smtp.test\r\n250-AUTH PLAIN\r\n250 8BITMIME");
                    break;
                case "AUTH":
                    var parts = line.Split(' ');
                    if (parts.Length >= 3) auth = parts[2];
                    else { await writer.WriteLineAsync("334 "); auth = await reader.ReadLineAsync(stop.Token); }
                    await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                    break;
                case "MAIL":
                    from = line[10..].Trim();
                    await writer.WriteLineAsync("250 2.1.0 Ok");
                    break;
                case "RCPT":
                    recipients.Add(line[8..].Trim());
                    await writer.WriteLineAsync(RecipientReply);
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(stop.Token) is { } dataLine && dataLine != ".") data.Append(dataLine).Append("\r\n");
                    Transactions.Enqueue(new SmtpTransaction(auth, from ?? "", [.. recipients], data.ToString()));
                    await writer.WriteLineAsync("250 2.0.0 Ok: queued as 4BQ2Y63XK1z");
                    break;
                case "RSET":
                    (from, recipients) = (null, []);
                    await writer.WriteLineAsync("250 2.0.0 Ok");
                    break;
                case "NOOP":
                    await writer.WriteLineAsync("250 2.0.0 Ok");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 2.0.0 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
