using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling.Scores;

/// <summary>
/// preferredDuringSchedulingIgnoredDuringExecution: a node earns the weights of the preferred terms it matches;
/// the best node scores 100.
/// </summary>
public sealed class NodeAffinityScore : ISchedulerScore
{
    public string Name => "NodeAffinity";

    public int Weight => 2;

    public IReadOnlyList<double> Score(JsonObject pod, IReadOnlyList<NodeInfo> nodes)
    {
        var preferred = (pod["spec"]?["affinity"]?["nodeAffinity"]?["preferredDuringSchedulingIgnoredDuringExecution"] as JsonArray)
            ?.OfType<JsonObject>().ToList() ?? [];
        if (preferred.Count == 0) return nodes.Select(_ => 0.0).ToList();
        return ScoreMath.MoreIsBetter(nodes
            .Select(n => preferred.Where(p => NodeSelectorTerms.Matches(p["preference"] as JsonObject, n.Node)).Sum(p => p.Long("weight") ?? 0))
            .ToList());
    }
}
