namespace Orchestrator.Agent.Pods;

/// <summary>
/// Tunables of the pod sync loop, bound from the configuration section <see cref="Section"/> (so an end-to-end test
/// can shorten them through the environment, e.g. <c>PodSync__OrphanGracePeriod=00:00:03</c>); the defaults are
/// what a node runs with.
/// </summary>
public sealed class PodSyncOptions
{
    public const string Section = "PodSync";

    /// <summary>
    /// False: the agent registers and heartbeats its node and serves its streaming port, but neither runs nor touches
    /// any container (a node held in maintenance by hand; the streaming tests, whose containers are made by hand).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every pod of the node and every container of ours is looked at again this often (level-triggered).</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a container whose pod is not on this node stays before it is stopped and removed. Pods deleted while
    /// we watched are cleaned up at once; this grace covers what we cannot tell apart from a race.
    /// </summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Pods synced at the same time (each pod is only ever synced by one worker at a time). Syncs mostly wait on
    /// Docker (a stop can take a whole grace period), so this is well above the core count.
    /// </summary>
    public int MaxParallelSyncs { get; set; } = 8;

    /// <summary>How often the volumes of a running pod (configMap, secret, downwardAPI files) are refreshed.</summary>
    public TimeSpan VolumeRefreshInterval { get; set; } = TimeSpan.FromSeconds(60);
}
