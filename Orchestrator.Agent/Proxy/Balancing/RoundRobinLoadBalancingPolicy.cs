using System.Net;

namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>Each connection takes the next allowed endpoint of the (shuffled) list.</summary>
public sealed class RoundRobinLoadBalancingPolicy : ILoadBalancingPolicy
{
    private uint _next = uint.MaxValue;

    public Backend? Pick(Backend[] candidates, IPAddress client, in BackendFilter filter)
    {
        var n = candidates.Length;
        if (n == 0) return null;
        var start = (int)(Interlocked.Increment(ref _next) % (uint)n);
        for (var i = 0; i < n; i++)
        {
            var b = candidates[(start + i) % n];
            if (filter.Allows(b)) return b;
        }
        return null;
    }
}
