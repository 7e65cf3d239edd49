using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling.Filters;

/// <summary>A cordoned node (spec.unschedulable) takes no new pods, unless the pod tolerates the unschedulable taint.</summary>
public sealed class NodeUnschedulableFilter : ISchedulerFilter
{
    public const string UnschedulableTaint = "node.kubernetes.io/unschedulable";

    public string Name => "NodeUnschedulable";

    public IReadOnlyList<string> Filter(JsonObject pod, NodeInfo node) =>
        node.Node["spec"].Bool("unschedulable") == true && !Tolerations.ToleratesAny(pod, UnschedulableTaint, Tolerations.NoSchedule)
            ? ["node(s) were unschedulable"]
            : [];
}
