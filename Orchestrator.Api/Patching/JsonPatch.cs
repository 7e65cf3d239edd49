using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Patching;

/// <summary>
/// JSON patch (RFC 6902, <c>application/json-patch+json</c>) over JSON pointers (RFC 6901).
/// As in the Kubernetes apiserver, a malformed patch document is 400 BadRequest, while a well-formed patch that
/// cannot be applied (missing path, failed <c>test</c>) is 422 with reason Invalid. Operations apply in order and
/// all-or-nothing: the input is never modified.
/// </summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject original, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
            throw ApiException.BadRequest("a JSON patch must be a JSON array of operations");

        // The document lives under a holder so that the pointer "" (whole document) has a parent like every other path.
        var holder = new JsonObject { ["doc"] = original.DeepClone() };
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op)
                throw ApiException.BadRequest($"JSON patch operation {i} must be an object");
            ApplyOperation(holder, op);
        }

        return holder["doc"] as JsonObject
               ?? throw Unprocessable("the patched document is not a JSON object");
    }

    private static void ApplyOperation(JsonObject holder, JsonObject op)
    {
        var name = RequiredString(op, "op");
        var path = Parse(RequiredString(op, "path"));
        switch (name)
        {
            case "add":
                Add(holder, path, RequiredValue(op, name).DeepCloneOrNull());
                break;
            case "remove":
                Remove(holder, path);
                break;
            case "replace":
                Remove(holder, path);
                Add(holder, path, RequiredValue(op, name).DeepCloneOrNull());
                break;
            case "move":
            {
                var from = Parse(RequiredString(op, "from"));
                if (path.Count > from.Count && path.Take(from.Count).SequenceEqual(from))
                    throw Unprocessable($"cannot move {Format(from)} into its own child {Format(path)}");
                Add(holder, path, Remove(holder, from));
                break;
            }
            case "copy":
                Add(holder, path, Get(holder, Parse(RequiredString(op, "from"))).DeepCloneOrNull());
                break;
            case "test":
            {
                var expected = RequiredValue(op, name);
                if (!JsonNode.DeepEquals(Get(holder, path), expected))
                    throw Unprocessable($"testing value {Format(path)} failed: test failed");
                break;
            }
            default:
                throw ApiException.BadRequest($"unexpected kind of JSON patch operation: \"{name}\"");
        }
    }

    private static JsonNode? Get(JsonObject holder, IReadOnlyList<string> path)
    {
        var (parent, token) = Parent(holder, path);
        switch (parent)
        {
            case JsonObject map when map.TryGetPropertyValue(token, out var value):
                return value;
            case JsonArray list when ArrayIndex(token, list.Count - 1, path) is var i:
                return list[i];
            default:
                throw Missing(path);
        }
    }

    private static void Add(JsonObject holder, IReadOnlyList<string> path, JsonNode? value)
    {
        var (parent, token) = Parent(holder, path);
        switch (parent)
        {
            case JsonObject map:
                map[token] = value;
                break;
            case JsonArray list when token == "-":
                list.Add(value);
                break;
            case JsonArray list:
                list.Insert(ArrayIndex(token, list.Count, path), value);
                break;
        }
    }

    private static JsonNode? Remove(JsonObject holder, IReadOnlyList<string> path)
    {
        var (parent, token) = Parent(holder, path);
        switch (parent)
        {
            case JsonObject map when map.TryGetPropertyValue(token, out var value):
                map.Remove(token);
                return value;
            case JsonArray list:
            {
                var i = ArrayIndex(token, list.Count - 1, path);
                var value = list[i];
                list.RemoveAt(i);
                return value;
            }
            default:
                throw Missing(path);
        }
    }

    /// <summary>The container holding the last token of the path (the holder itself for the whole document).</summary>
    private static (JsonNode Parent, string Token) Parent(JsonObject holder, IReadOnlyList<string> path)
    {
        JsonNode? node = holder;
        for (var i = 0; i < path.Count - 1; i++)
        {
            node = node switch
            {
                JsonObject map when map.TryGetPropertyValue(path[i], out var child) => child,
                JsonArray list => list[ArrayIndex(path[i], list.Count - 1, path)],
                _ => throw Missing(path),
            };
        }
        return node is JsonObject or JsonArray ? (node, path[^1]) : throw Missing(path);
    }

    private static int ArrayIndex(string token, int max, IReadOnlyList<string> path)
    {
        // RFC 6901: decimal digits without leading zeros; "-" only names the slot after the last element.
        var valid = token.Length > 0 && token.All(char.IsAsciiDigit) && (token == "0" || token[0] != '0');
        if (!valid || !int.TryParse(token, out var index) || index > max)
            throw Unprocessable($"index {token} is out of bounds or not a valid array index at {Format(path)}");
        return index;
    }

    /// <summary>Parses a JSON pointer into tokens, prefixed by the holder's "doc" token.</summary>
    private static List<string> Parse(string pointer)
    {
        if (pointer.Length > 0 && pointer[0] != '/')
            throw ApiException.BadRequest($"JSON pointer \"{pointer}\" must be empty or start with \"/\"");
        var tokens = new List<string> { "doc" };
        if (pointer.Length == 0) return tokens;
        foreach (var raw in pointer[1..].Split('/'))
        {
            // Order matters (RFC 6901 §4): "~01" is "~1" literally, not "/".
            tokens.Add(raw.Replace("~1", "/").Replace("~0", "~"));
        }
        return tokens;
    }

    private static string Format(IReadOnlyList<string> path) =>
        string.Concat(path.Skip(1).Select(t => "/" + t.Replace("~", "~0").Replace("/", "~1")));

    private static string RequiredString(JsonObject op, string member) =>
        op[member] is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw ApiException.BadRequest($"JSON patch operation {op.ToJsonString()} is missing string member \"{member}\"");

    private static JsonNode? RequiredValue(JsonObject op, string name) =>
        op.TryGetPropertyValue("value", out var value)
            ? value
            : throw ApiException.BadRequest($"JSON patch \"{name}\" operation is missing \"value\"");

    private static JsonNode? DeepCloneOrNull(this JsonNode? node) => node?.DeepClone();

    private static ApiException Missing(IReadOnlyList<string> path) =>
        Unprocessable($"doc is missing path: \"{Format(path)}\": missing value");

    private static ApiException Unprocessable(string message) => new(422, "Invalid", message);
}
