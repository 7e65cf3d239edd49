using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.ReplicaSets;

/// <summary>
/// Which pods a scale-down removes first, in upstream's order (ActivePodsWithRanks):
/// <list type="number">
/// <item>not yet scheduled before scheduled;</item>
/// <item>phase Pending before Unknown before Running;</item>
/// <item>not ready before ready;</item>
/// <item>lower <c>controller.kubernetes.io/pod-deletion-cost</c> before higher;</item>
/// <item>more related pods on the same node before fewer (spreads what stays);</item>
/// <item>when both are ready: ready more recently before ready longer, times compared in log2 buckets of their age;</item>
/// <item>more container restarts before fewer;</item>
/// <item>created more recently before older, again in log2 buckets of age; ties broken by uid.</item>
/// </list>
/// The buckets (upstream's LogarithmicScaleDown) keep pods of similar age interchangeable, so the tie-break by uid
/// spreads deletions instead of always hitting the same node.
/// </summary>
public static class PodDeletionOrder
{
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>
    /// The <paramref name="count"/> pods of <paramref name="pods"/> to delete first. <paramref name="related"/> are the
    /// pods of every ReplicaSet sharing this one's controller (a Deployment's old and new sets), used to count how
    /// crowded each node is; only active ones count.
    /// </summary>
    public static IReadOnlyList<JsonObject> Select(IReadOnlyList<JsonObject> pods, IEnumerable<JsonObject> related, int count, DateTimeOffset now)
    {
        if (count >= pods.Count) return pods;
        var perNode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in related)
            if (PodStatus.IsActive(p) && p["spec"].Str("nodeName") is { Length: > 0 } node)
                perNode[node] = perNode.GetValueOrDefault(node) + 1;
        var ranked = pods.Select(p => (Pod: p, Rank: perNode.GetValueOrDefault(p["spec"].Str("nodeName") ?? ""))).ToList();
        var comparer = new Comparer(now);
        ranked.Sort(comparer.Compare);
        return ranked.Take(count).Select(r => r.Pod).ToList();
    }

    /// <summary>Orders (pod, rank) pairs so that the pod to delete first comes first.</summary>
    public sealed class Comparer(DateTimeOffset now)
    {
        public int Compare((JsonObject Pod, int Rank) a, (JsonObject Pod, int Rank) b)
        {
            var (x, y) = (a.Pod, b.Pod);
            var c = PodStatus.IsScheduled(x).CompareTo(PodStatus.IsScheduled(y));
            if (c != 0) return c;
            c = PhaseOrdinal(x).CompareTo(PhaseOrdinal(y));
            if (c != 0) return c;
            var (readyX, readyY) = (PodStatus.IsReady(x), PodStatus.IsReady(y));
            c = readyX.CompareTo(readyY);
            if (c != 0) return c;
            c = DeletionCost(x).CompareTo(DeletionCost(y));
            if (c != 0) return c;
            c = b.Rank.CompareTo(a.Rank);
            if (c != 0) return c;
            if (readyX && readyY)
            {
                var (tx, ty) = (ReadySince(x), ReadySince(y));
                if (tx != ty)
                {
                    c = NewerFirst(tx, ty);
                    if (c != 0) return c;
                    return string.CompareOrdinal(x.Uid(), y.Uid());
                }
            }
            c = MaxRestarts(y).CompareTo(MaxRestarts(x));
            if (c != 0) return c;
            var (cx, cy) = (Created(x), Created(y));
            if (cx != cy)
            {
                c = NewerFirst(cx, cy);
                return c != 0 ? c : string.CompareOrdinal(x.Uid(), y.Uid());
            }
            return 0;
        }

        /// <summary>A missing time sorts first; otherwise the younger log2 age bucket first.</summary>
        private int NewerFirst(DateTimeOffset? x, DateTimeOffset? y)
        {
            if (x == null || y == null) return x == null ? -1 : 1;
            return AgeBucket(x.Value).CompareTo(AgeBucket(y.Value));
        }

        private long AgeBucket(DateTimeOffset t)
        {
            var age = now - t;
            // Nanoseconds, as upstream, so that the buckets fall where Kubernetes puts them.
            return age > TimeSpan.Zero ? (long)Math.Log2(age.Ticks * 100.0) : -1;
        }
    }

    private static int PhaseOrdinal(JsonObject pod) => pod["status"].Str("phase") switch
    {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };

    private static int DeletionCost(JsonObject pod) =>
        pod.Annotations().TryGetValue(DeletionCostAnnotation, out var s) &&
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cost) ? cost : 0;

    private static DateTimeOffset? ReadySince(JsonObject pod) =>
        KubeTime.Parse(PodStatus.Condition(pod, "Ready")?.Str("lastTransitionTime"));

    private static DateTimeOffset? Created(JsonObject pod) => KubeTime.Parse(pod["metadata"].Str("creationTimestamp"));

    private static long MaxRestarts(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().Select(c => c.Long("restartCount") ?? 0).DefaultIfEmpty(0).Max() ?? 0;
}
