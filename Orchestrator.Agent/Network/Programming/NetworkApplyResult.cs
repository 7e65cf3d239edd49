namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// How one convergence went. <see cref="AddressesApplied"/>: every wanted service address stands on the interface
/// (what the network programming latency waits for). <see cref="Errors"/>: what failed and is retried with back-off.
/// <see cref="Commands"/>: how many changes were sent (0 when everything already was as wanted).
/// </summary>
public sealed record NetworkApplyResult(bool AddressesApplied, IReadOnlyList<string> Errors, int Commands)
{
    public bool Succeeded => Errors.Count == 0;
}
