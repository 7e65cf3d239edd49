namespace Orchestrator.Agent.Proxy;

/// <summary>
/// Why a listener exists; it decides the traffic policy: cluster IPs follow <c>internalTrafficPolicy</c>, the other
/// kinds <c>externalTrafficPolicy</c>; <c>loadBalancerSourceRanges</c> guard LoadBalancer ingress IPs and the node
/// ports of a LoadBalancer service.
/// </summary>
public enum ListenerKind
{
    ClusterIp,
    NodePort,
    ExternalIp,
    LoadBalancerIngress,
}
