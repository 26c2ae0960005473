using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Touchpoint.Hosting;

/// <summary>
/// Section <c>Touchpoint:ForwardedHeaders</c>: behind a reverse proxy or load balancer, the client address (rate
/// limits, auth lock-out, the webhook archive, unsubscribe evidence) and scheme come from <c>X-Forwarded-For</c> /
/// <c>X-Forwarded-Proto</c> — but only when the request arrives from a proxy listed here. Nothing is trusted by
/// default, because a header any client can send must not pick its own rate-limit partition.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Touchpoint:ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];
    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];
    /// <summary>How many proxies in a chain to unwrap (X-Forwarded-For entries read from the right).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public static ForwardedHeadersSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        foreach (var proxy in settings.KnownProxies)
            if (!IPAddress.TryParse(proxy, out _))
                throw new ConfigurationException($"{Section}:KnownProxies: '{proxy}' is not an IP address.");
        foreach (var network in settings.KnownNetworks)
            if (!System.Net.IPNetwork.TryParse(network, out _))
                throw new ConfigurationException($"{Section}:KnownNetworks: '{network}' is not a CIDR network (e.g. 10.0.0.0/8).");
        if (settings.ForwardLimit < 1)
            throw new ConfigurationException($"{Section}:ForwardLimit must be at least 1.");
        return settings;
    }

    public void Apply(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = ForwardLimit;
        // Replace ASP.NET's loopback defaults with exactly the configured list.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in KnownNetworks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
    }
}
