using System.Text.Json.Nodes;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// Semantic equality of JSON trees: property order and the CLR type behind a number (int built here, a parsed
/// element read from the store) do not matter. Used to decide whether a write is needed at all.
/// </summary>
public static class JsonCompare
{
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null) return a is null && b is null;
        return JsonNode.DeepEquals(Normalize(a), Normalize(b));
    }

    /// <summary>A copy backed by parsed JSON elements only, so that equal values compare equal.</summary>
    public static JsonNode? Normalize(JsonNode? node) => node is null ? null : JsonNode.Parse(node.ToJsonString());

    /// <summary>Two string maps (labels, annotations) with the same pairs; a missing map equals an empty one.</summary>
    public static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public static JsonObject ToJson(IReadOnlyDictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal)) o[k] = v;
        return o;
    }
}
