using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// Deployment status conditions with upstream's types, reasons and update rule: a condition with the same status
/// and reason is left untouched (so a steady state writes nothing), and lastTransitionTime only moves when the
/// status does.
/// </summary>
public static class DeploymentConditions
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";

    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    // Reasons, as kubectl and dashboards expect them.
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";
    public const string NewReplicaSetCreated = "NewReplicaSetCreated";
    public const string FoundNewReplicaSet = "FoundNewReplicaSet";
    public const string ReplicaSetUpdated = "ReplicaSetUpdated";
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";
    public const string FailedReplicaSetCreate = "ReplicaSetCreateError";
    public const string DeploymentPaused = "DeploymentPaused";
    public const string DeploymentResumed = "DeploymentResumed";

    public static JsonObject? Get(JsonNode? status, string type) =>
        (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);

    public static JsonObject New(string type, string status, string reason, string message, DateTimeOffset now)
    {
        var stamp = KubeTime.Format(now);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = stamp,
            ["lastTransitionTime"] = stamp,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    /// <summary>Sets a condition unless one with the same status and reason exists; keeps lastTransitionTime when only the reason changes.</summary>
    public static void Set(JsonObject status, JsonObject condition)
    {
        var type = condition.Str("type")!;
        var current = Get(status, type);
        if (current != null && current.Str("status") == condition.Str("status") && current.Str("reason") == condition.Str("reason"))
            return;
        if (current != null && current.Str("status") == condition.Str("status"))
            condition["lastTransitionTime"] = current["lastTransitionTime"]?.DeepClone();
        Remove(status, type);
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = new JsonArray();
            status["conditions"] = conditions;
        }
        conditions.Add(condition);
    }

    public static void Remove(JsonObject status, string type)
    {
        if (status["conditions"] is not JsonArray conditions) return;
        for (var i = conditions.Count - 1; i >= 0; i--)
            if (conditions[i].Str("type") == type) conditions.RemoveAt(i);
        if (conditions.Count == 0) status.Remove("conditions");
    }

    public static DateTimeOffset? LastUpdateTime(JsonObject condition) => KubeTime.Parse(condition.Str("lastUpdateTime"));

}
