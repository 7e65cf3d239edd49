using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling.Filters;

/// <summary>
/// Only nodes whose Ready condition is True take new pods. Upstream expresses a not-ready node as the
/// <c>node.kubernetes.io/not-ready</c> (or <c>unreachable</c> when Unknown) taint, so a pod tolerating that taint —
/// a DaemonSet pod — may still go there; the reason reads the same as upstream's.
/// </summary>
public sealed class NodeReadyFilter : ISchedulerFilter
{
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";

    public string Name => "NodeReady";

    public IReadOnlyList<string> Filter(JsonObject pod, NodeInfo node)
    {
        var ready = (node.Node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Ready");
        var status = ready?.Str("status");
        if (status == "True") return [];
        var taint = status == "Unknown" ? UnreachableTaint : NotReadyTaint;
        return Tolerations.ToleratesAny(pod, taint, Tolerations.NoSchedule, Tolerations.NoExecute)
            ? []
            : [$"node(s) had untolerated taint {{{taint}: }}"];
    }
}
