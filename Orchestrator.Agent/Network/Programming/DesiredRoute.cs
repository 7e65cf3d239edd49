using System.Net;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>A route the agent wants: <c>unreachable</c> when <see cref="Gateway"/> is null, else via that gateway.</summary>
public sealed record DesiredRoute(Ipv4Cidr Destination, IPAddress? Gateway, string Why)
{
    public bool Unreachable => Gateway is null;

    /// <summary>True when the kernel's route is this one (same type and gateway).</summary>
    public bool Matches(KernelRoute route) =>
        route.Destination == Destination &&
        (Unreachable ? route.Type == "unreachable" : route.Type == "unicast" && Gateway!.Equals(route.Gateway));
}
