using Orchestrator.Agent.Proxy.Balancing;

namespace Orchestrator.Agent.Proxy.Udp;

/// <summary>What one UDP listener serves right now: its planned listener (kind → traffic policy) and its service port's balancer. Swapped whole.</summary>
internal sealed record UdpRoute(DesiredListener Listener, ServicePortBalancer Balancer);
