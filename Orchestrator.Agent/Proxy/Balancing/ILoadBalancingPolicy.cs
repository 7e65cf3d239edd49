using System.Net;

namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>
/// Picks the endpoint for a new connection among <paramref name="candidates"/> (already narrowed by traffic policy;
/// in the table's shuffled order). An instance belongs to one service port and may keep state (a counter).
/// Returns null when the filter allows none.
/// </summary>
public interface ILoadBalancingPolicy
{
    Backend? Pick(Backend[] candidates, IPAddress client, in BackendFilter filter);
}
