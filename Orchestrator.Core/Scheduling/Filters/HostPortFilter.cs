using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling.Filters;

/// <summary>A host port (same port and protocol, overlapping host IP) can be claimed by only one pod per node.</summary>
public sealed class HostPortFilter : ISchedulerFilter
{
    public string Name => "NodePorts";

    public IReadOnlyList<string> Filter(JsonObject pod, NodeInfo node)
    {
        var wanted = PodResources.HostPorts(pod).ToList();
        if (wanted.Count == 0) return [];
        return wanted.Any(w => node.UsedPorts.Any(w.ConflictsWith))
            ? ["node(s) didn't have free ports for the requested pod ports"]
            : [];
    }
}
