using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.DaemonSets;

/// <summary>What makes a pod a daemon pod: the default tolerations, the node pinned through affinity, the labels.</summary>
public static class DaemonPods
{
    public const string RevisionHashLabel = "controller-revision-hash";
    public const string TemplateGenerationLabel = "pod-template-generation";

    /// <summary>
    /// The tolerations upstream adds to every daemon pod, so that node conditions never evict or block it:
    /// (key, effect). NoExecute ones carry no tolerationSeconds (tolerated forever).
    /// </summary>
    private static readonly (string Key, string Effect)[] DefaultTolerations =
    [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];

    /// <summary>Adds the default tolerations missing from <paramref name="podSpec"/> (and network-unavailable for hostNetwork pods).</summary>
    public static void AddDefaultTolerations(JsonObject podSpec)
    {
        var tolerations = podSpec["tolerations"] as JsonArray ?? new JsonArray();
        podSpec["tolerations"] = tolerations;
        var wanted = DefaultTolerations.ToList();
        if (podSpec.Bool("hostNetwork") == true) wanted.Add(("node.kubernetes.io/network-unavailable", "NoSchedule"));
        foreach (var (key, effect) in wanted)
        {
            var present = tolerations.OfType<JsonObject>().Any(t =>
                t.Str("key") == key && t.Str("effect") == effect && t.Str("operator") == "Exists" && t["tolerationSeconds"] is null);
            if (present) continue;
            tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = effect });
        }
    }

    /// <summary>
    /// Pins the pod to <paramref name="nodeName"/> the upstream way: the required node affinity becomes one term
    /// matching the node's name (the controller has already checked the template's own terms), and the scheduler binds it.
    /// </summary>
    public static void PinToNode(JsonObject podSpec, string nodeName)
    {
        var nodeAffinity = podSpec.Obj("affinity").Obj("nodeAffinity");
        nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
        {
            ["nodeSelectorTerms"] = new JsonArray(new JsonObject
            {
                ["matchFields"] = new JsonArray(new JsonObject
                {
                    ["key"] = "metadata.name",
                    ["operator"] = "In",
                    ["values"] = new JsonArray(nodeName),
                }),
            }),
        };
    }

    /// <summary>The node a daemon pod runs on or is meant for: spec.nodeName, else the single name its affinity pins.</summary>
    public static string? TargetNode(JsonObject pod)
    {
        if (pod["spec"].Str("nodeName") is { Length: > 0 } bound) return bound;
        var terms = pod["spec"].At("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms") as JsonArray;
        foreach (var term in terms?.OfType<JsonObject>() ?? [])
            foreach (var field in (term["matchFields"] as JsonArray)?.OfType<JsonObject>() ?? [])
                if (field.Str("key") == "metadata.name" && field.Str("operator") == "In" &&
                    field["values"] is JsonArray { Count: 1 } values && values[0]?.GetValue<string>() is { } name)
                    return name;
        return null;
    }
}
