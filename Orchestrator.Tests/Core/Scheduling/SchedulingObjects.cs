using System.Text.Json.Nodes;
using Orchestrator.Core.Scheduling;

namespace Orchestrator.Tests.Core.Scheduling;

/// <summary>Nodes and pods for scheduler tests, written as the JSON a user would send.</summary>
internal static class SchedulingObjects
{
    public static JsonObject Node(string name, string cpu = "4", string memory = "8Gi", int pods = 110,
        string labels = "{}", string taints = "[]", bool unschedulable = false, string ready = "True") =>
        JsonNode.Parse($$"""
            {"apiVersion":"v1","kind":"Node",
             "metadata":{"name":"{{name}}","labels":{{labels}}},
             "spec":{"unschedulable":{{(unschedulable ? "true" : "false")}},"taints":{{taints}}},
             "status":{"allocatable":{"cpu":"{{cpu}}","memory":"{{memory}}","pods":"{{pods}}"},
                       "capacity":{"cpu":"{{cpu}}","memory":"{{memory}}","pods":"{{pods}}"},
                       "conditions":[{"type":"Ready","status":"{{ready}}"}]} }
            """)!.AsObject();

    /// <summary>A pod; <paramref name="spec"/> is merged over a single-container spec.</summary>
    public static JsonObject Pod(string name, string? cpu = null, string? memory = null, string spec = "{}",
        string? node = null, string? ownerUid = null, string ns = "default", string? hostPort = null, string phase = "Pending")
    {
        var requests = new JsonObject();
        if (cpu != null) requests["cpu"] = cpu;
        if (memory != null) requests["memory"] = memory;
        var container = new JsonObject
        {
            ["name"] = "c",
            ["image"] = "nginx",
            ["resources"] = new JsonObject { ["requests"] = requests },
        };
        if (hostPort != null) container["ports"] = JsonNode.Parse($$"""[{"containerPort":80,"hostPort":{{hostPort}}}]""");
        var s = new JsonObject { ["containers"] = new JsonArray(container) };
        foreach (var (k, v) in JsonNode.Parse(spec)!.AsObject()) s[k] = v?.DeepClone();
        if (node != null) s["nodeName"] = node;
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = "uid-" + name };
        if (ownerUid != null)
            meta["ownerReferences"] = JsonNode.Parse($$"""[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"{{ownerUid}}","controller":true}]""");
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = s,
            ["status"] = new JsonObject { ["phase"] = phase },
        };
    }

    public static NodeInfo Info(JsonObject node, params JsonObject[] pods) => new(node, pods);
}
