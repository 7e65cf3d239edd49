namespace Orchestrator.Agent.Network;

/// <summary>The Docker network pod sandboxes join: a bridge over the node's <c>spec.podCIDR</c>.</summary>
public interface IPodNetwork
{
    /// <summary>
    /// Waits until the server has given this node a podCIDR, then creates (or finds and checks) the bridge network
    /// over it and returns the network's name. Pod IPs come from that CIDR (the gateway, .1, is the node's side).
    /// </summary>
    Task<string> EnsureAsync(CancellationToken ct);
}
