namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>
/// How a service port spreads new connections over its endpoints; chosen by the Service annotation
/// <see cref="AnnotationName"/> (<c>round-robin</c> when absent or unknown).
/// </summary>
public enum LoadBalancingAlgorithm
{
    RoundRobin,
    Random,
    LeastConnections,
    SourceHash,
}

public static class LoadBalancingAlgorithms
{
    public const string AnnotationName = "orchestrator.io/load-balancer-algorithm";

    public static LoadBalancingAlgorithm Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "random" => LoadBalancingAlgorithm.Random,
        "least-connections" or "leastconn" or "least-conn" => LoadBalancingAlgorithm.LeastConnections,
        "source-hash" or "source" => LoadBalancingAlgorithm.SourceHash,
        _ => LoadBalancingAlgorithm.RoundRobin,
    };
}
