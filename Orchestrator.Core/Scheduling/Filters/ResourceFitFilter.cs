using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling.Filters;

/// <summary>
/// The pod's requests must fit into the node's allocatable minus what its pods already request: one more pod
/// under the pods count, and for every resource the pod asks a non-zero amount of (cpu, memory, ephemeral
/// storage, extended resources). A node that does not report ephemeral-storage is not held to it. Every
/// shortfall is a reason of its own, as upstream reports them.
/// </summary>
public sealed class ResourceFitFilter : ISchedulerFilter
{
    public string Name => "NodeResourcesFit";

    public IReadOnlyList<string> Filter(JsonObject pod, NodeInfo node)
    {
        var reasons = new List<string>();
        if (node.Allocatable.Has(ResourceList.Pods) && node.PodCount + 1 > node.Allocatable[ResourceList.Pods])
            reasons.Add("Too many pods");
        var requests = PodResources.Requests(pod);
        foreach (var name in requests.Names.Order(StringComparer.Ordinal))
        {
            var want = requests[name];
            if (want <= 0 || name == ResourceList.Pods) continue;
            if (name == ResourceList.EphemeralStorage && !node.Allocatable.Has(name)) continue;
            if (want > node.Allocatable[name] - node.Requested[name]) reasons.Add($"Insufficient {name}");
        }
        return reasons;
    }
}
