using System.Net;
using Orchestrator.Agent.Network;

namespace Orchestrator.Agent.Services;

/// <summary>
/// A Service with its endpoints, flattened for the data path (proxy, DNS, address programming).
/// <list type="bullet">
/// <item><see cref="ClusterIps"/>: empty for headless (<c>clusterIP: None</c>) and ExternalName services.</item>
/// <item><see cref="Type"/>: ClusterIP, NodePort, LoadBalancer or ExternalName.</item>
/// <item><see cref="AffinityTimeoutSeconds"/>: meaningful when <see cref="SessionAffinity"/> is ClientIP (default 10800).</item>
/// <item><see cref="LoadBalancerIngress"/>: the IPs of <c>status.loadBalancer.ingress</c>.</item>
/// <item><see cref="Endpoints"/>: every endpoint, ready or not; consumers filter (<see cref="EndpointEntry.Ready"/>).</item>
/// <item><see cref="TriggerTime"/>: when the change that produced the current endpoints happened (the
///   <c>endpoints.kubernetes.io/last-change-trigger-time</c> annotation), else the service's creation time; the start
///   of the network programming latency.</item>
/// </list>
/// </summary>
public sealed record ServiceEntry(
    string Namespace,
    string Name,
    string Type,
    IReadOnlyList<IPAddress> ClusterIps,
    bool Headless,
    string? ExternalName,
    IReadOnlyList<ServicePortEntry> Ports,
    IReadOnlyList<IPAddress> ExternalIps,
    IReadOnlyList<IPAddress> LoadBalancerIngress,
    string SessionAffinity,
    int AffinityTimeoutSeconds,
    string ExternalTrafficPolicy,
    string InternalTrafficPolicy,
    int HealthCheckNodePort,
    IReadOnlyList<Ipv4Cidr> LoadBalancerSourceRanges,
    bool PublishNotReadyAddresses,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<EndpointEntry> Endpoints,
    DateTimeOffset? TriggerTime)
{
    public string Key => $"{Namespace}/{Name}";

    /// <summary>Endpoints that take traffic for <paramref name="port"/>: ready (or all, when publishing not-ready addresses).</summary>
    public IEnumerable<(EndpointEntry Endpoint, int Port)> ReadyBackends(ServicePortEntry port)
    {
        foreach (var e in Endpoints)
        {
            if (!e.Ready && !PublishNotReadyAddresses) continue;
            if (e.PortFor(port.Name, port.Protocol) is { } p) yield return (e, p);
        }
    }
}
