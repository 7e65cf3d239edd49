using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling.Filters;

/// <summary>
/// spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution: one of the nodeSelectorTerms must
/// match the node. Absent (or without terms) it constrains nothing; present with an empty term list it matches none.
/// </summary>
public sealed class NodeAffinityFilter : ISchedulerFilter
{
    public string Name => "NodeAffinity";

    public IReadOnlyList<string> Filter(JsonObject pod, NodeInfo node)
    {
        if (pod["spec"]?["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"] is not JsonObject required)
            return [];
        return NodeSelectorTerms.AnyMatches(required["nodeSelectorTerms"] as JsonArray, node.Node) ? [] : [NodeSelectorFilter.Reason];
    }
}
