using System.Net;

namespace Orchestrator.Agent.Proxy;

/// <summary>
/// The host's addresses as the proxy sees them: <see cref="Local"/> are every IPv4 address of this host (an
/// externalIP or LoadBalancer ingress IP is served only when it is one of them), <see cref="NodePort"/> the subset
/// node ports are bound on (outside the service CIDR, filtered by <see cref="ServiceProxyOptions.NodePortAddresses"/>).
/// </summary>
public sealed record NodeAddressSet(IReadOnlySet<IPAddress> Local, IReadOnlyList<IPAddress> NodePort)
{
    public bool SameAs(NodeAddressSet other) => Local.SetEquals(other.Local) && NodePort.SequenceEqual(other.NodePort);
}
