using System.Net;

namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>A uniformly random allowed endpoint.</summary>
public sealed class RandomLoadBalancingPolicy : ILoadBalancingPolicy
{
    public Backend? Pick(Backend[] candidates, IPAddress client, in BackendFilter filter)
    {
        var n = candidates.Length;
        if (n == 0) return null;
        var start = Random.Shared.Next(n);
        for (var i = 0; i < n; i++)
        {
            var b = candidates[(start + i) % n];
            if (filter.Allows(b)) return b;
        }
        return null;
    }
}
