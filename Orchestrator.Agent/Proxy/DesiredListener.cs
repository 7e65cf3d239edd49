using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy;

/// <summary>A listener one snapshot asks for: where, for which service port, and as what <see cref="ListenerKind"/>.</summary>
public sealed record DesiredListener(ListenerKey Key, string ServiceKey, ServicePortEntry Port, ListenerKind Kind)
{
    /// <summary>The balancer this listener feeds: one per service port, shared by its cluster IP, node port, LB listeners.</summary>
    public string BalancerKey => $"{ServiceKey}:{Port.Name}:{Port.Protocol}";
}
