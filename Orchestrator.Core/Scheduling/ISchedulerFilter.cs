using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// A predicate a node must pass for a pod to be placed on it. Returns the reasons it fails (empty when the node
/// fits), worded as upstream's plugins word them, since they are counted into the FailedScheduling message
/// ("2 Insufficient cpu"). Filters read only the pod and the cycle's <see cref="NodeInfo"/>.
/// </summary>
public interface ISchedulerFilter
{
    string Name { get; }

    IReadOnlyList<string> Filter(JsonObject pod, NodeInfo node);
}
