using System.Net;

namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>
/// The allowed endpoint with the fewest open connections through this node; ties go round robin, so equal loads
/// still spread (the counts are local: other nodes' connections are not seen).
/// </summary>
public sealed class LeastConnectionsLoadBalancingPolicy : ILoadBalancingPolicy
{
    private uint _next = uint.MaxValue;

    public Backend? Pick(Backend[] candidates, IPAddress client, in BackendFilter filter)
    {
        var n = candidates.Length;
        if (n == 0) return null;
        var start = (int)(Interlocked.Increment(ref _next) % (uint)n);
        Backend? best = null;
        var bestCount = int.MaxValue;
        for (var i = 0; i < n; i++)
        {
            var b = candidates[(start + i) % n];
            if (!filter.Allows(b)) continue;
            var count = b.Health.ActiveConnections;
            if (count < bestCount)
            {
                best = b;
                bestCount = count;
            }
        }
        return best;
    }
}
