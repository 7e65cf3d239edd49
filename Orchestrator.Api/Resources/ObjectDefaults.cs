using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Resources;

/// <summary>
/// Per-kind storage rules the generic registry needs: which kinds track <c>metadata.generation</c>, how status starts
/// on create, which kinds PUT may create. These mirror the upstream registry strategies.
/// </summary>
public static class ObjectDefaults
{
    private static readonly HashSet<string> GenerationKinds =
        ["Deployment", "ReplicaSet", "DaemonSet", "ReplicationController", "Job", "CronJob", "StatefulSet"];

    private static readonly HashSet<string> CreateOnUpdateKinds = ["Endpoints", "Event", "Lease", "EndpointSlice", "Node"];

    public static bool TracksGeneration(ResourceKind kind) => GenerationKinds.Contains(kind.Kind);

    public static bool AllowsCreateOnUpdate(ResourceKind kind) => CreateOnUpdateKinds.Contains(kind.Kind);

    /// <summary>Kinds whose status is owned by controllers: a client cannot set it on create or through the main resource.</summary>
    public static bool HasStatusSubresource(ResourceKind kind) => kind.HasSubresource("status");

    /// <summary>Resets status as the upstream strategies do on create (nodes keep theirs: the kubelet registers with it).</summary>
    public static void ResetStatusForCreate(ResourceKind kind, JsonObject obj)
    {
        if (!HasStatusSubresource(kind) || kind.Kind == "Node") return;
        switch (kind.Kind)
        {
            case "Pod":
                obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(obj["spec"] as JsonObject) };
                break;
            case "Namespace":
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "Service":
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            default:
                obj["status"] = new JsonObject();
                break;
        }
    }

    /// <summary>The pod QoS class: Guaranteed when every container limits cpu and memory with equal requests, BestEffort without any.</summary>
    public static string QosClass(JsonObject? podSpec)
    {
        var containers = (podSpec?["containers"] as JsonArray ?? []).Concat(podSpec?["initContainers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var requestsRaw = c["resources"]?["requests"] as JsonObject;
            var limitsRaw = c["resources"]?["limits"] as JsonObject;
            if ((requestsRaw?.Count ?? 0) > 0 || (limitsRaw?.Count ?? 0) > 0) any = true;
            foreach (var res in new[] { "cpu", "memory" })
            {
                var limit = limitsRaw?[res]?.ToString();
                var request = requestsRaw?[res]?.ToString() ?? limit;
                if (limit == null || request != limit) guaranteed = false;
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
