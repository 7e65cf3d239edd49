using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.ReplicaSets;

/// <summary>
/// The status a ReplicaSet or ReplicationController reports about the pods it controls (upstream's calculateStatus).
/// Fields the controller does not compute are carried over from the current status, so that a newer server's fields
/// survive; counts that are zero are omitted, as upstream serializes them.
/// </summary>
public static class ReplicaStatus
{
    public const string ReplicaFailure = "ReplicaFailure";
    public const string FailedCreate = "FailedCreate";
    public const string FailedDelete = "FailedDelete";

    /// <summary>
    /// The new status for <paramref name="owner"/>, given its active controlled pods and the error of this sync's
    /// create or delete calls (which raises the ReplicaFailure condition; a sync without error clears it).
    /// </summary>
    public static JsonObject Calculate(JsonObject owner, IReadOnlyCollection<JsonObject> activePods, Exception? manageError, DateTimeOffset now)
    {
        var spec = owner["spec"];
        var minReadySeconds = spec.Long("minReadySeconds") ?? 0;
        var templateLabels = KubeObject.StringMap(spec.At("template.metadata.labels"));

        var fullyLabeled = 0;
        var ready = 0;
        var available = 0;
        foreach (var pod in activePods)
        {
            var labels = pod.Labels();
            if (templateLabels.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value)) fullyLabeled++;
            if (PodStatus.IsReady(pod)) ready++;
            if (PodStatus.IsAvailable(pod, minReadySeconds, now)) available++;
        }

        var status = owner["status"]?.DeepClone() as JsonObject ?? new JsonObject();
        status["replicas"] = activePods.Count;
        SetCount(status, "fullyLabeledReplicas", fullyLabeled);
        SetCount(status, "readyReplicas", ready);
        SetCount(status, "availableReplicas", available);
        if (owner["metadata"].Long("generation") is { } generation) status["observedGeneration"] = generation;

        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        var failure = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == ReplicaFailure);
        if (manageError != null && failure == null)
        {
            var desired = spec.Long("replicas") ?? 1;
            conditions.Add(new JsonObject
            {
                ["type"] = ReplicaFailure,
                ["status"] = "True",
                ["lastTransitionTime"] = KubeTime.Format(now),
                ["reason"] = activePods.Count < desired ? FailedCreate : FailedDelete,
                ["message"] = manageError.Message,
            });
        }
        else if (manageError == null && failure != null)
        {
            conditions.Remove(failure);
        }
        if (conditions.Count > 0) status["conditions"] = conditions;
        else status.Remove("conditions");
        return status;
    }

    /// <summary>
    /// How long until the next ready-but-not-yet-available pod becomes available (ready for minReadySeconds), so the
    /// controller re-checks exactly then; null when no pod is waiting.
    /// </summary>
    public static TimeSpan? NextAvailabilityCheck(JsonObject owner, IEnumerable<JsonObject> activePods, DateTimeOffset now)
    {
        var minReadySeconds = owner["spec"].Long("minReadySeconds") ?? 0;
        if (minReadySeconds <= 0) return null;
        TimeSpan? next = null;
        foreach (var pod in activePods)
        {
            if (!PodStatus.IsReady(pod) || PodStatus.IsAvailable(pod, minReadySeconds, now)) continue;
            var since = KubeTime.Parse(PodStatus.Condition(pod, "Ready")?.Str("lastTransitionTime"));
            var wait = since is { } s ? s.AddSeconds(minReadySeconds) - now : TimeSpan.FromSeconds(minReadySeconds);
            if (wait <= TimeSpan.Zero) wait = TimeSpan.FromSeconds(1);
            if (next == null || wait < next) next = wait;
        }
        return next;
    }


    private static void SetCount(JsonObject status, string field, int value)
    {
        if (value > 0) status[field] = value;
        else status.Remove(field);
    }
}
