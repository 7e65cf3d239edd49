using System.Collections.Concurrent;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// What the pod worker remembers about one pod between syncs (everything else is re-read from Docker and the API
/// each time): when its volumes were last prepared, when its containers were first seen without a pod, and the
/// kills the probe manager asked for. Only the pod's own sync touches it, except <see cref="PendingKills"/>.
/// </summary>
public sealed class PodWorkerState
{
    public DateTimeOffset? VolumesPreparedAt { get; set; }

    public DateTimeOffset? OrphanSince { get; set; }

    /// <summary>Docker id → why it must die (a failed liveness or startup probe); filled from probe callbacks.</summary>
    public ConcurrentDictionary<string, string> PendingKills { get; } = new(StringComparer.Ordinal);
}
