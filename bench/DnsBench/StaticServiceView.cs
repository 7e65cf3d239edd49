using Orchestrator.Agent.Services;

namespace DnsBench;

/// <summary>A synced view that never changes: the benchmark measures the query path, not snapshot churn.</summary>
internal sealed class StaticServiceView(ClusterServices snapshot) : IServiceView
{
    public ClusterServices Current => snapshot;

    public bool Synced => true;

    public async Task<ClusterServices> WaitForChangeAsync(long version, CancellationToken ct)
    {
        if (snapshot.Version > version) return snapshot;
        await Task.Delay(Timeout.Infinite, ct);
        return snapshot;
    }
}
