namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// Which snapshot's service addresses stand on the node: a listener on a clusterIP can only be bound once its
/// address exists, so the proxy may wait for the version it is about to serve. Registered only when node networking
/// is enabled; without it the addresses are someone else's business (tests bind on loopback).
/// </summary>
public interface IServiceAddressState
{
    /// <summary>The version of the last snapshot whose every service address is in place (0 before the first).</summary>
    long AppliedVersion { get; }

    /// <summary>Completes once a snapshot of version <paramref name="version"/> or newer has its addresses in place.</summary>
    Task WaitForAppliedAsync(long version, CancellationToken ct);
}
