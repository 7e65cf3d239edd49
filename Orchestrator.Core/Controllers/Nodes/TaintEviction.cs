using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Nodes;

/// <summary>
/// When a pod must leave a node because of the node's NoExecute taints (upstream's taint eviction), per taint:
/// <list type="bullet">
/// <item>no toleration matches: a not-ready/unreachable taint gives the cluster's pod eviction timeout (our stand-in
///   for the default tolerations upstream's admission adds); any other taint evicts at once;</item>
/// <item>a matching toleration without tolerationSeconds: tolerated for as long as the taint stays;</item>
/// <item>otherwise the smallest matching tolerationSeconds (negative counts as 0).</item>
/// </list>
/// The pod goes at the earliest of these moments, counted from each taint's timeAdded.
/// </summary>
public static class TaintEviction
{
    /// <summary>The eviction time, or null when the pod tolerates every NoExecute taint for good.</summary>
    public static DateTimeOffset? EvictionTime(JsonObject pod, IEnumerable<JsonObject> taints, TimeSpan podEvictionTimeout, Func<JsonObject, DateTimeOffset> addedAt)
    {
        var tolerations = Taints.TolerationsOf(pod);
        DateTimeOffset? earliest = null;
        foreach (var taint in taints.Where(t => t.Str("effect") == Taints.NoExecute))
        {
            var matching = tolerations.Where(t => Taints.Tolerates(t, taint)).ToList();
            TimeSpan delay;
            if (matching.Count == 0)
                delay = Taints.IsNodeLifecycleKey(taint.Str("key")) ? podEvictionTimeout : TimeSpan.Zero;
            else if (matching.Any(t => t.Long("tolerationSeconds") == null))
                continue;
            else
                delay = TimeSpan.FromSeconds(Math.Max(0, matching.Min(t => t.Long("tolerationSeconds")!.Value)));
            var at = addedAt(taint) + delay;
            if (earliest == null || at < earliest) earliest = at;
        }
        return earliest;
    }
}
