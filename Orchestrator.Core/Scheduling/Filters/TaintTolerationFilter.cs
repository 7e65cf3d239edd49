using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling.Filters;

/// <summary>Every NoSchedule and NoExecute taint of the node must be tolerated; PreferNoSchedule only lowers the score.</summary>
public sealed class TaintTolerationFilter : ISchedulerFilter
{
    public string Name => "TaintToleration";

    public IReadOnlyList<string> Filter(JsonObject pod, NodeInfo node)
    {
        foreach (var taint in node.Taints)
        {
            if (taint.Str("effect") is not (Tolerations.NoSchedule or Tolerations.NoExecute)) continue;
            if (!Tolerations.Tolerates(pod, taint))
                return [$"node(s) had untolerated taint {{{taint.Str("key")}: {taint.Str("value")}}}"];
        }
        return [];
    }
}
