using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

/// <summary>
/// Path elements in the managedFields FieldsV1 encoding, and how to follow them through an object:
/// <c>f:&lt;field&gt;</c> a map field, <c>k:{"name":"x"}</c> the element of an associative list with that key,
/// <c>v:&lt;json&gt;</c> a set element, <c>i:&lt;n&gt;</c> a position (never produced here, accepted when read).
/// </summary>
internal static class FieldPath
{
    // Go's encoding/json leaves non-ASCII as is; the relaxed encoder is the closest match, so keys read the same as upstream.
    private static readonly JsonSerializerOptions Compact = CreateCompact();

    private static JsonSerializerOptions CreateCompact()
    {
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Field(string name) => "f:" + name;

    /// <summary>The <c>k:</c> element of a list element, with left-out keys filled by their defaults.</summary>
    public static string Key(IReadOnlyList<string> keys, JsonObject element)
    {
        var key = new JsonObject();
        foreach (var name in keys)
            if (KeyValue(element, name) is { } value) key[name] = value.DeepClone();
        return "k:" + key.ToJsonString(Compact);
    }

    /// <summary>Whether a list element is the one a <c>k:</c> key (parsed) names.</summary>
    public static bool Matches(JsonNode? element, JsonObject key) =>
        element is JsonObject o && key.All(k => JsonNode.DeepEquals(KeyValue(o, k.Key), k.Value));

    private static JsonNode? KeyValue(JsonObject element, string name) =>
        element.TryGetPropertyValue(name, out var value) && value is not null ? value : PatchField.KeyDefault(name);

    public static string Value(JsonNode? value) => "v:" + (value?.ToJsonString(Compact) ?? "null");

    /// <summary>The node a path names in <paramref name="root"/>; <c>Found</c> tells a missing field from a null one.</summary>
    public static (bool Found, JsonNode? Node) Resolve(JsonNode? root, IReadOnlyList<string> path)
    {
        var node = root;
        foreach (var element in path)
        {
            if (!TryStep(node, element, out var next, out _)) return (false, null);
            node = next;
        }
        return (true, node);
    }

    /// <summary>Removes what the path names; false when it is not there.</summary>
    public static bool Remove(JsonNode root, IReadOnlyList<string> path)
    {
        var (found, parent) = Resolve(root, path.Take(path.Count - 1).ToList());
        if (!found || !TryStep(parent, path[^1], out _, out var index)) return false;
        switch (parent)
        {
            case JsonObject map:
                map.Remove(path[^1][2..]);
                return true;
            case JsonArray list:
                list.RemoveAt(index);
                return true;
            default:
                return false;
        }
    }

    /// <summary>How conflict messages show a path: <c>.spec.template.spec.containers[name="nginx"].image</c>.</summary>
    public static string Describe(IReadOnlyList<string> path) => string.Concat(path.Select(element =>
        element[..2] switch
        {
            "f:" => "." + element[2..],
            "k:" => "[" + string.Join(",", ParseKey(element).Select(p => $"{p.Key}={p.Value?.ToJsonString(Compact)}")) + "]",
            "v:" => "[=" + element[2..] + "]",
            "i:" => "[" + element[2..] + "]",
            _ => element,
        }));

    private static bool TryStep(JsonNode? node, string element, out JsonNode? next, out int index)
    {
        next = null;
        index = -1;
        if (element.Length < 2) return false;
        switch (element[..2], node)
        {
            case ("f:", JsonObject map):
                return map.TryGetPropertyValue(element[2..], out next);
            case ("k:", JsonArray list):
            {
                var key = ParseKey(element);
                index = FindIndex(list, e => Matches(e, key));
                break;
            }
            case ("v:", JsonArray list):
            {
                var value = JsonNode.Parse(element[2..]);
                index = FindIndex(list, e => JsonNode.DeepEquals(e, value));
                break;
            }
            case ("i:", JsonArray list):
                index = int.TryParse(element[2..], out var i) && i >= 0 && i < list.Count ? i : -1;
                break;
            default:
                return false;
        }

        if (index < 0) return false;
        next = ((JsonArray)node)[index];
        return true;
    }

    private static JsonObject ParseKey(string element) =>
        JsonNode.Parse(element[2..]) as JsonObject ?? new JsonObject();

    private static int FindIndex(JsonArray list, Func<JsonNode?, bool> predicate)
    {
        for (var i = 0; i < list.Count; i++)
            if (predicate(list[i])) return i;
        return -1;
    }
}
