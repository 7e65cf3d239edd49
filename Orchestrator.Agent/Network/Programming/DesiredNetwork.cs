using System.Net;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// What the node's kernel should hold, computed from one snapshot: service addresses (sorted), our routes, our
/// iptables rules, and the nodes that get no route. <see cref="Empty"/> is what a cleanup converges to.
/// </summary>
public sealed record DesiredNetwork(
    IReadOnlyList<IPAddress> Addresses,
    IReadOnlyList<DesiredRoute> Routes,
    IReadOnlyList<IptablesRule> Rules,
    IReadOnlyList<SkippedNode> Skipped)
{
    public static readonly DesiredNetwork Empty = new([], [], [], []);
}
