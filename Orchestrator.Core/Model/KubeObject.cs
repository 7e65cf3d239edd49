using System.Text.Json.Nodes;

namespace Orchestrator.Core.Model;

/// <summary>
/// Accessors for Kubernetes objects held as JSON trees. The API server keeps objects as JSON so that
/// every field a user sends survives a round trip, including those the server does not model.
/// </summary>
public static class KubeObject
{
    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m) return m;
        m = new JsonObject();
        obj["metadata"] = m;
        return m;
    }

    public static string? Str(this JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(this JsonNode? node, string property)
    {
        if (node is not JsonObject o || o[property] is not JsonValue v) return null;
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<double>(out var d) && Math.Abs(d % 1) < double.Epsilon) return (long)d;
        return null;
    }

    public static bool? Bool(this JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>Walks a dotted path of object properties ("spec.template.metadata"); null when any step is missing.</summary>
    public static JsonNode? At(this JsonNode? node, string dottedPath)
    {
        foreach (var part in dottedPath.Split('.'))
        {
            if (node is not JsonObject o) return null;
            node = o[part];
        }
        return node;
    }

    /// <summary>Returns the child object, creating it when missing.</summary>
    public static JsonObject Obj(this JsonObject node, string property)
    {
        if (node[property] is JsonObject o) return o;
        o = new JsonObject();
        node[property] = o;
        return o;
    }

    public static string? Name(this JsonObject obj) => obj["metadata"].Str("name");
    public static string? Namespace(this JsonObject obj) => obj["metadata"].Str("namespace");
    public static string? Uid(this JsonObject obj) => obj["metadata"].Str("uid");
    public static string? ResourceVersion(this JsonObject obj) => obj["metadata"].Str("resourceVersion");
    public static string? ApiVersion(this JsonObject obj) => obj.Str("apiVersion");
    public static string? Kind(this JsonObject obj) => obj.Str("kind");

    public static IReadOnlyDictionary<string, string> Labels(this JsonObject obj) => StringMap(obj["metadata"]?["labels"]);
    public static IReadOnlyDictionary<string, string> Annotations(this JsonObject obj) => StringMap(obj["metadata"]?["annotations"]);

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        var result = new Dictionary<string, string>();
        if (node is JsonObject o)
            foreach (var (k, v) in o)
                if (v is JsonValue jv && jv.TryGetValue<string>(out var s)) result[k] = s;
        return result;
    }

    /// <summary>Deep copy of an object; mutations of the copy never reach the cached original.</summary>
    public static JsonObject Clone(this JsonObject obj) => (JsonObject)obj.DeepClone();
}
