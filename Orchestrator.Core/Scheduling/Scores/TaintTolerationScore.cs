using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling.Scores;

/// <summary>Nodes with fewer PreferNoSchedule taints the pod does not tolerate score higher.</summary>
public sealed class TaintTolerationScore : ISchedulerScore
{
    public string Name => "TaintToleration";

    public int Weight => 2;

    public IReadOnlyList<double> Score(JsonObject pod, IReadOnlyList<NodeInfo> nodes) =>
        ScoreMath.FewerIsBetter(nodes
            .Select(n => (long)n.Taints.Count(t => t.Str("effect") == Tolerations.PreferNoSchedule && !Tolerations.Tolerates(pod, t)))
            .ToList());
}
