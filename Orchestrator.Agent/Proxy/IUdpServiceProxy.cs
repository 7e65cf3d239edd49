using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy;

/// <summary>
/// The UDP half of the service proxy (helper "udp"'s forwarder plugs in here). After every snapshot the TCP proxy
/// hands it the UDP listeners this node should have — already planned: cluster IPs, node ports on the node
/// addresses, local LB/external IPs, kube-dns excluded — together with the snapshot for endpoints and policies
/// (the listener's <see cref="DesiredListener.Kind"/> tells which traffic policy applies). It returns the listeners
/// it could not bind; the proxy reports them on the Service like its own.
/// </summary>
public interface IUdpServiceProxy
{
    Task<IReadOnlyList<PortConflict>> ApplyAsync(ClusterServices snapshot, IReadOnlyCollection<DesiredListener> listeners, CancellationToken ct);
}
