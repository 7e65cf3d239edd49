using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Pods;

/// <summary>The pod state questions every workload controller asks, answered as upstream's podutil does.</summary>
public static class PodStatus
{
    public static string Phase(JsonObject pod) => pod["status"].Str("phase") ?? "Pending";

    public static bool IsTerminating(JsonObject pod) => pod["metadata"]?["deletionTimestamp"] != null;

    /// <summary>Counts toward a controller's replicas: not finished and not being deleted.</summary>
    public static bool IsActive(JsonObject pod) => Phase(pod) is not ("Succeeded" or "Failed") && !IsTerminating(pod);

    public static JsonObject? Condition(JsonObject pod, string type) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);

    public static bool IsReady(JsonObject pod) => Condition(pod, "Ready")?.Str("status") == "True";

    /// <summary>Ready for at least <paramref name="minReadySeconds"/> (by the Ready condition's lastTransitionTime).</summary>
    public static bool IsAvailable(JsonObject pod, long minReadySeconds, DateTimeOffset now)
    {
        var ready = Condition(pod, "Ready");
        if (ready?.Str("status") != "True") return false;
        if (minReadySeconds <= 0) return true;
        return KubeTime.Parse(ready.Str("lastTransitionTime")) is { } since && since.AddSeconds(minReadySeconds) <= now;
    }

    public static bool IsScheduled(JsonObject pod) => !string.IsNullOrEmpty(pod["spec"].Str("nodeName"));

    public static DateTimeOffset CreationTime(JsonObject obj) =>
        KubeTime.Parse(obj["metadata"].Str("creationTimestamp")) ?? DateTimeOffset.MinValue;
}
