using Orchestrator.Agent.Proxy.Balancing;

namespace Orchestrator.Agent.Proxy.Tcp;

/// <summary>What a listener serves right now: a service port's balancer, as which kind. Swapped whole on change.</summary>
public sealed record ListenerRoute(DesiredListener Desired, ServicePortBalancer Balancer);
