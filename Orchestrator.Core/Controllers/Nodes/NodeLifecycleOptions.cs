namespace Orchestrator.Core.Controllers.Nodes;

/// <summary>
/// Timings of the node lifecycle controller. The defaults aim at failover well under a minute: a lost node turns
/// Ready=Unknown 15 s after its last Lease renewal (three missed renewals of the agent's 5 s interval) and its pods
/// are evicted 10 s later (Kubernetes: 40 s and 5 min; Docker Swarm notices in about 15 s).
/// </summary>
public sealed record NodeLifecycleOptions
{
    /// <summary>How long a node may go without renewing its Lease (or posting status) before it is Ready=Unknown.</summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long pods stay on a not-ready or unreachable node before eviction, unless a toleration of the
    /// node.kubernetes.io/not-ready or /unreachable NoExecute taint says otherwise (tolerationSeconds, or forever).
    /// </summary>
    public TimeSpan PodEvictionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The grace period of a node that has never posted a Ready condition (it may still be starting).</summary>
    public TimeSpan NodeStartupGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where agents keep their heartbeat Leases, each named after its node.</summary>
    public string LeaseNamespace { get; init; } = "kube-node-lease";
}
