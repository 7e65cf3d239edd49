using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Controllers.DaemonSets;

/// <summary>
/// apps/v1 ControllerRevisions as the DaemonSet controller keeps them: one per distinct pod template, named
/// <c>&lt;ds&gt;-&lt;hash&gt;</c>, holding the template as a strategic-merge patch (<c>{"spec":{"template":{…,"$patch":"replace"}}}</c>)
/// so that <c>kubectl rollout undo ds</c> can apply it back, and numbered by <c>revision</c> for <c>rollout history</c>.
/// </summary>
public static class ControllerRevisions
{
    // The alphabet upstream's rand.SafeEncodeString uses: no vowels (no words) and no look-alike characters.
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>A short, stable hash of a pod template (FNV-1a over its canonical JSON, plus the collision count).</summary>
    public static string Hash(JsonNode? template, long collisionCount = 0)
    {
        uint h = 2166136261;
        foreach (var b in CanonicalJson.Utf8(template))
        {
            h ^= b;
            h *= 16777619;
        }
        if (collisionCount > 0)
            foreach (var b in BitConverter.GetBytes(collisionCount))
            {
                h ^= b;
                h *= 16777619;
            }
        var digits = h.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder(digits.Length);
        foreach (var c in digits) sb.Append(SafeAlphabet[c % SafeAlphabet.Length]);
        return sb.ToString();
    }

    /// <summary>The template stored in a revision's data, or null when the revision is not of that shape.</summary>
    public static JsonObject? TemplateOf(JsonObject revision)
    {
        if (revision["data"]?["spec"]?["template"] is not JsonObject t) return null;
        var copy = (JsonObject)t.DeepClone();
        copy.Remove("$patch");
        return copy;
    }

    public static JsonObject NewRevision(JsonObject ds, JsonObject template, string hash, long revision)
    {
        var data = (JsonObject)template.DeepClone();
        data["$patch"] = "replace";
        var labels = new JsonObject();
        foreach (var (k, v) in KubeObject.StringMap(template["metadata"]?["labels"])) labels[k] = v;
        labels[DaemonPods.RevisionHashLabel] = hash;
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ControllerRevision",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{ds.Name()}-{hash}",
                ["namespace"] = ds.Namespace(),
                ["labels"] = labels,
                ["annotations"] = new JsonObject(),
                ["ownerReferences"] = new JsonArray(Pods.OwnerReferences.NewControllerRef(ds)),
            },
            ["data"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = data } },
            ["revision"] = revision,
        };
    }
}
