namespace Orchestrator.Agent.Proxy;

/// <summary>
/// Makes port conflicts visible on the Service. Called whenever the set of this node's unbindable listeners of a
/// service changes — an empty list means they are all bound now.
/// </summary>
public interface IPortConflictReporter
{
    Task ReportAsync(string serviceKey, IReadOnlyList<PortConflict> conflicts, CancellationToken ct);
}
