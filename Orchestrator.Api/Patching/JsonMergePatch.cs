using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Patching;

/// <summary>JSON merge patch (RFC 7386, <c>application/merge-patch+json</c>): objects merge, <c>null</c> deletes, anything else replaces.</summary>
public static class JsonMergePatch
{
    /// <summary>Returns the patched copy; neither input is modified.</summary>
    public static JsonObject Apply(JsonObject original, JsonNode? patch)
    {
        // RFC 7386 lets a non-object patch replace the document, but a Kubernetes object must stay an object.
        if (patch is not JsonObject patchMap)
            throw ApiException.BadRequest("a JSON merge patch for an object must be a JSON object");
        var target = (JsonObject)original.DeepClone();
        MergeInto(target, patchMap);
        return target;
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
                target.Remove(key);
            else if (value is JsonObject patchMap && target[key] is JsonObject existing)
                MergeInto(existing, patchMap);
            else
                target[key] = Materialize(value);
        }
    }

    /// <summary>A patch value landing where there is no object to merge into: nested nulls mean "absent".</summary>
    private static JsonNode Materialize(JsonNode value)
    {
        if (value is not JsonObject map) return value.DeepClone();
        var result = new JsonObject();
        MergeInto(result, map);
        return result;
    }
}
