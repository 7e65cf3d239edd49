namespace Orchestrator.Agent.Proxy.HealthCheck;

/// <summary>
/// What one health-check node port answers: the service and how many of its ready endpoints run on this node. An
/// immutable value, swapped whole when the snapshot changes, so a response never mixes two states.
/// </summary>
public sealed record HealthCheckStatus(string Namespace, string Name, int LocalEndpoints)
{
    /// <summary>A load balancer sends traffic to this node only when it has a local endpoint (externalTrafficPolicy Local).</summary>
    public bool Healthy => LocalEndpoints > 0;
}
