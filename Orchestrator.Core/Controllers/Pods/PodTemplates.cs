using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Pods;

/// <summary>Builds pods from a workload's pod template, as the upstream controllers do.</summary>
public static class PodTemplates
{
    /// <summary>
    /// A new pod from <paramref name="template"/> (a PodTemplateSpec), named <c>&lt;prefix&gt;&lt;5 random chars&gt;</c>
    /// by the server through generateName, controlled by <paramref name="owner"/>. Extra labels (pod-template-hash,
    /// controller-revision-hash, …) are merged over the template's.
    /// </summary>
    public static JsonObject NewPod(JsonObject template, JsonObject owner, string generateNamePrefix, IReadOnlyDictionary<string, string>? extraLabels = null)
    {
        var meta = template["metadata"]?.DeepClone() as JsonObject ?? new JsonObject();
        meta.Remove("name");
        meta.Remove("namespace");
        meta.Remove("uid");
        meta.Remove("resourceVersion");
        meta.Remove("creationTimestamp");
        meta["generateName"] = generateNamePrefix;
        meta["namespace"] = owner.Namespace();
        var labels = meta["labels"] as JsonObject ?? new JsonObject();
        if (extraLabels != null)
            foreach (var (k, v) in extraLabels) labels[k] = v;
        meta["labels"] = labels;
        meta["ownerReferences"] = new JsonArray(OwnerReferences.NewControllerRef(owner));
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    /// <summary>"web-7d9c8" + "-": the generateName prefix upstream uses (the owner's name and a dash, trimmed to fit).</summary>
    public static string GenerateNamePrefix(string ownerName)
    {
        const int maxPrefix = 63 - 5; // the server appends 5 characters
        var prefix = ownerName + "-";
        return prefix.Length > maxPrefix ? prefix[..maxPrefix] : prefix;
    }
}
