using Orchestrator.Agent.Services;

/// <summary>A service view holding one snapshot forever: the proxy under benchmark needs no API server.</summary>
internal sealed class StaticServiceView(ClusterServices snapshot) : IServiceView
{
    public ClusterServices Current => snapshot;

    public bool Synced => true;

    public Task<ClusterServices> WaitForChangeAsync(long version, CancellationToken ct) =>
        version < snapshot.Version ? Task.FromResult(snapshot) : Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => snapshot, TaskScheduler.Default);
}
