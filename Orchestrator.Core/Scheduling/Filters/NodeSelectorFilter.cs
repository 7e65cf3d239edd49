using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling.Filters;

/// <summary>Every label of spec.nodeSelector must be on the node with the same value.</summary>
public sealed class NodeSelectorFilter : ISchedulerFilter
{
    public const string Reason = "node(s) didn't match Pod's node affinity/selector";

    public string Name => "NodeSelector";

    public IReadOnlyList<string> Filter(JsonObject pod, NodeInfo node)
    {
        var selector = KubeObject.StringMap(pod["spec"]?["nodeSelector"]);
        if (selector.Count == 0) return [];
        var labels = node.Labels;
        return selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value) ? [] : [Reason];
    }
}
