namespace Orchestrator.Agent.Services;

/// <summary>
/// The node's view of Services, endpoints and Nodes for its data path: an immutable <see cref="ClusterServices"/>
/// replaced on every change. <see cref="Synced"/> turns true once every informer behind it has listed (DNS answers
/// SERVFAIL before that; the proxy programs nothing before that, so it never drops a service it merely has not seen).
/// </summary>
public interface IServiceView
{
    ClusterServices Current { get; }

    bool Synced { get; }

    /// <summary>Completes with the first synced snapshot whose version is greater than <paramref name="version"/>.</summary>
    Task<ClusterServices> WaitForChangeAsync(long version, CancellationToken ct);
}
