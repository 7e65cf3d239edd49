using System.Net;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// An IPv4 route of the main table as <c>ip -j route show</c> reports it. <see cref="Destination"/> is null for
/// <c>default</c>; <see cref="Type"/> is "unicast" when ip prints none; <see cref="Protocol"/> is as printed
/// ("kernel", "boot", or a number without a name).
/// </summary>
public sealed record KernelRoute(Ipv4Cidr? Destination, string Type, IPAddress? Gateway, string? Device, string Protocol, string? Scope)
{
    /// <summary>A subnet the machine is directly attached to: a link-scope unicast route without a gateway.</summary>
    public bool IsConnectedSubnet => Type == "unicast" && Gateway is null && Scope == "link" && Destination is not null && Device is not null and not "lo";
}
