using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// One scheduling cycle, free of I/O so it can be tested on its own:
/// <list type="number">
/// <item>filter: a node is feasible when every filter passes (the first failing filter's reasons are kept);</item>
/// <item>score: each score rates the feasible nodes in [0, 100]; the weighted sums rank them;</item>
/// <item>tie-break: among equal best nodes, the smallest hash of (node, pod) wins — deterministic for a pod, yet
///   different pods pick different nodes, so equal nodes fill evenly.</item>
/// </list>
/// </summary>
public sealed class SchedulingAlgorithm(SchedulerProfile profile)
{
    public ScheduleResult Schedule(JsonObject pod, IReadOnlyList<NodeInfo> nodes)
    {
        var feasible = new List<NodeInfo>();
        var rejections = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            IReadOnlyList<string> reasons = [];
            foreach (var filter in profile.Filters)
            {
                reasons = filter.Filter(pod, node);
                if (reasons.Count > 0) break;
            }
            if (reasons.Count > 0) rejections[node.Name] = reasons;
            else feasible.Add(node);
        }
        if (feasible.Count == 0) return new ScheduleResult(null, nodes.Count, rejections);
        if (feasible.Count == 1) return new ScheduleResult(feasible[0].Name, nodes.Count, rejections);

        var totals = new double[feasible.Count];
        foreach (var score in profile.Scores)
        {
            var scores = score.Score(pod, feasible);
            for (var i = 0; i < totals.Length; i++) totals[i] += score.Weight * scores[i];
        }
        var podKey = $"{pod.Namespace()}/{pod.Name()}";
        var best = 0;
        for (var i = 1; i < feasible.Count; i++)
        {
            var diff = totals[i] - totals[best];
            if (diff > 1e-9 || (Math.Abs(diff) <= 1e-9 && TieBreak(feasible[i].Name, podKey) < TieBreak(feasible[best].Name, podKey)))
                best = i;
        }
        return new ScheduleResult(feasible[best].Name, nodes.Count, rejections);
    }

    /// <summary>FNV-1a over "node|pod": stable across processes, unlike string.GetHashCode.</summary>
    internal static uint TieBreak(string node, string podKey)
    {
        var hash = 2166136261u;
        foreach (var ch in node + "|" + podKey)
        {
            hash ^= ch;
            hash *= 16777619u;
        }
        return hash;
    }

    /// <summary>
    /// The cycle's view of the cluster: each node with its non-terminated pods — those the cache shows bound to it
    /// and those this scheduler bound that the cache has not caught up with yet (<paramref name="assumed"/>).
    /// </summary>
    public static IReadOnlyList<NodeInfo> Snapshot(IEnumerable<JsonObject> nodes, IEnumerable<JsonObject> pods, IEnumerable<JsonObject> assumed, PodInfoCache? cache = null)
    {
        cache ??= new PodInfoCache();
        var byNode = new Dictionary<string, List<PodInfo>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Place(JsonObject pod)
        {
            var node = pod["spec"].Str("nodeName");
            if (string.IsNullOrEmpty(node) || pod["status"].Str("phase") is "Succeeded" or "Failed") return;
            var info = cache.Get(pod);
            if (!seen.Add(info.Key)) return;
            if (!byNode.TryGetValue(node, out var list)) byNode[node] = list = [];
            list.Add(info);
        }
        foreach (var pod in pods) Place(pod);
        foreach (var pod in assumed) Place(pod);
        return nodes
            .OrderBy(n => n.Name(), StringComparer.Ordinal)
            .Select(n => new NodeInfo(n, byNode.TryGetValue(n.Name() ?? "", out var list) ? list : (IReadOnlyList<PodInfo>)[]))
            .ToList();
    }
}
