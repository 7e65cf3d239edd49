using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling.Scores;

/// <summary>
/// Spreads the replicas of one controller (same controller ownerReference uid) across nodes: the node running the
/// fewest of them scores highest, so losing one node loses as few replicas as possible. Pods without a controller
/// score every node alike.
/// </summary>
public sealed class OwnerSpreadScore : ISchedulerScore
{
    public string Name => "OwnerSpread";

    public int Weight => 3;

    public IReadOnlyList<double> Score(JsonObject pod, IReadOnlyList<NodeInfo> nodes)
    {
        var owner = OwnerReferences.ControllerOf(pod)?.Str("uid");
        if (string.IsNullOrEmpty(owner)) return nodes.Select(_ => 0.0).ToList();
        var key = $"{pod.Namespace()}/{owner}";
        var counts = nodes.Select(n => (long)n.CountOwnedBy(key)).ToList();
        return ScoreMath.FewerIsBetter(counts);
    }
}
