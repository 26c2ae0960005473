namespace Touchpoint.Domain.Webhooks;

/// <summary>
/// Where a provider is told to post one message's delivery callbacks: the workspace's receiver with our message id as
/// query parameter. Twilio may post <c>queued</c>/<c>sent</c> before the dispatcher has stored the SID it matches on;
/// the parameter lets such a callback find its message anyway. Only a receiver whose signature covers the URL (Twilio
/// signs URL + query) may trust it.
/// </summary>
public static class StatusCallbackUrl
{
    public const string MessageIdParameter = "tp_message_id";

    public static string For(string publicBaseUrl, string provider, Guid workspaceId, Guid messageId) =>
        $"{publicBaseUrl.TrimEnd('/')}/webhooks/{provider}/{workspaceId}?{MessageIdParameter}={messageId}";

    /// <summary>Our message id from a callback's query (<see cref="UrlEncodedForm.Parse"/>d), or null when absent or not a Guid.</summary>
    public static string? MessageId(IReadOnlyList<KeyValuePair<string, string>> query) =>
        Guid.TryParse(UrlEncodedForm.Value(query, MessageIdParameter), out var id) ? id.ToString() : null;
}
