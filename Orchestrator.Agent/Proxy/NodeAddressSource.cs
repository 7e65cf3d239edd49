using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy;

/// <summary>
/// Reads the host's IPv4 addresses (or takes them from <see cref="ServiceProxyOptions.NodeAddresses"/>) and derives
/// the <see cref="NodeAddressSet"/>. Addresses inside the service CIDR are VIPs the address programmer put on
/// <c>lo</c>, never node addresses.
/// </summary>
public sealed class NodeAddressSource(ServiceProxyOptions options)
{
    private readonly IReadOnlyList<Ipv4Cidr> _nodePortFilter = ParseFilter(options.NodePortAddresses);

    public NodeAddressSet Read(NetworkSettings settings)
    {
        var local = options.NodeAddresses is { } configured
            ? configured.Select(IPAddress.Parse).ToList()
            : HostAddresses();
        var nodePort = local
            .Where(a => !settings.ServiceCidr.Contains(a))
            .Where(a => _nodePortFilter.Count == 0 || _nodePortFilter.ContainedInAny(a))
            .Distinct()
            .OrderBy(a => a.ToString(), StringComparer.Ordinal)
            .ToList();
        return new NodeAddressSet(local.ToHashSet(), nodePort);
    }

    private static List<IPAddress> HostAddresses()
    {
        var result = new List<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus == OperationalStatus.Down) continue;
            foreach (var u in nic.GetIPProperties().UnicastAddresses)
                if (u.Address.AddressFamily == AddressFamily.InterNetwork) result.Add(u.Address);
        }
        if (!result.Contains(IPAddress.Loopback)) result.Add(IPAddress.Loopback);
        return result;
    }

    private static List<Ipv4Cidr> ParseFilter(IEnumerable<string> cidrs)
    {
        var result = new List<Ipv4Cidr>();
        foreach (var text in cidrs)
            result.Add(Ipv4Cidr.TryParse(text.Trim(), out var c) ? c : throw new FormatException($"ServiceProxy:NodePortAddresses: '{text}' is not an IPv4 CIDR"));
        return result;
    }
}
