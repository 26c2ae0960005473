using System.Globalization;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.Json;
using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Providers.Twilio;

/// <summary>
/// Twilio Programmable Messaging (sms, whatsapp via <c>whatsapp:</c> addresses) and Voice (call: TwiML
/// <c>&lt;Say&gt;</c>; voicemail drop: answering-machine detection waits for the beep, then says the body).
/// Settings: <c>accountSid</c>, <c>from</c> or <c>messagingServiceSid</c>, optional <c>voice</c>, <c>baseUrl</c>;
/// secret <c>authToken</c>.
/// </summary>
public sealed class TwilioProvider(HttpClient http) : IMessageProvider
{
    public const string ProviderName = "twilio";
    public const string DefaultBaseUrl = "https://api.twilio.com";

    public string Name => ProviderName;

    public bool Supports(Channel channel) => channel is Channel.Sms or Channel.Whatsapp or Channel.Call or Channel.Voicemail;

    public async Task<ProviderSendResult> SendAsync(ProviderSendRequest request, ProviderAccount account, CancellationToken ct)
    {
        var accountSid = ProviderHttp.Require(account.Setting("accountSid"), "accountSid");
        var authToken = ProviderHttp.Require(account.Secret("authToken"), "authToken");
        var isCall = request.Channel is Channel.Call or Channel.Voicemail;
        var resource = isCall ? "Calls.json" : "Messages.json";
        var url = $"{ProviderHttp.BaseUrl(account, DefaultBaseUrl)}/2010-04-01/Accounts/{Uri.EscapeDataString(accountSid)}/{resource}";

        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(isCall ? CallForm(request, account) : MessageForm(request, account)),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}")));
        using var response = await http.SendAsync(message, ct);
        ProviderHttp.ThrowIfOutcomeUnknown(response, ProviderName);
        var text = await response.Content.ReadAsStringAsync(ct);
        return Parse(response.IsSuccessStatusCode, (int)response.StatusCode, text);
    }

    static List<KeyValuePair<string, string>> MessageForm(ProviderSendRequest request, ProviderAccount account)
    {
        var whatsapp = request.Channel == Channel.Whatsapp;
        var form = new List<KeyValuePair<string, string>> { new("To", Address(request.To, whatsapp)) };
        var from = request.From ?? account.Setting("from");
        // A Messaging Service picks the sender itself (number pools, sticky sender); a fixed From wins when given.
        if (from is not null) form.Add(new("From", Address(from, whatsapp)));
        else form.Add(new("MessagingServiceSid", ProviderHttp.Require(account.Setting("messagingServiceSid"), "from")));
        form.Add(new("Body", request.Body));
        if (request.StatusCallbackUrl is not null) form.Add(new("StatusCallback", request.StatusCallbackUrl));
        return form;
    }

    static List<KeyValuePair<string, string>> CallForm(ProviderSendRequest request, ProviderAccount account)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("To", request.To),
            new("From", ProviderHttp.Require(request.From ?? account.Setting("from"), "from")),
            new("Twiml", Twiml(request.Body, account.Setting("voice"))),
        };
        // DetectMessageEnd holds the TwiML until the greeting's beep, so the message lands on the recording.
        if (request.Channel == Channel.Voicemail) form.Add(new("MachineDetection", "DetectMessageEnd"));
        if (request.StatusCallbackUrl is not null) form.Add(new("StatusCallback", request.StatusCallbackUrl));
        return form;
    }

    public static string Twiml(string body, string? voice)
    {
        var voiceAttribute = voice is null ? "" : $" voice=\"{SecurityElement.Escape(voice)}\"";
        return $"<Response><Say{voiceAttribute}>{SecurityElement.Escape(body)}</Say></Response>";
    }

    static string Address(string value, bool whatsapp) =>
        whatsapp && !value.StartsWith("whatsapp:", StringComparison.Ordinal) ? "whatsapp:" + value : value;

    /// <summary>
    /// A Message/Call resource (<c>{"sid","status","error_code","price","price_unit"}</c>) or an error
    /// (<c>{"code":21211,"message":…,"status":400}</c>).
    /// </summary>
    static ProviderSendResult Parse(bool success, int status, string text)
    {
        var root = ProviderHttp.ParseOrUndefined(text);
        if (!success)
            return new ProviderSendResult.Rejected(ProviderHttp.Text(root, "code") ?? $"http_{status}", ProviderHttp.Text(root, "message") ?? $"Twilio answered {status}.");

        var sid = ProviderHttp.Text(root, "sid") ?? throw new HttpRequestException("Twilio accepted the request but returned no sid.");
        var state = ProviderHttp.Text(root, "status");
        if (state is "failed" or "undelivered" or "canceled")
            return new ProviderSendResult.Rejected(ProviderHttp.Text(root, "error_code") ?? state,
                ProviderHttp.Text(root, "error_message") ?? $"Twilio reported the message {state}.");
        decimal? cost = decimal.TryParse(ProviderHttp.Text(root, "price"), NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
            ? Math.Abs(p) // Twilio reports charges as negative amounts
            : null;
        return new ProviderSendResult.Accepted(sid, MessageStatus.Sent, cost, cost is null ? null : ProviderHttp.Text(root, "price_unit"));
    }
}
