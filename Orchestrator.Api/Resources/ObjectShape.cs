using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Resources;

/// <summary>
/// The type checks a Go apiserver gets for free from decoding into structs: type meta and object meta must have the
/// right JSON types before anything reads them. A mismatch is a 400, worded like the apiserver's decode errors.
/// </summary>
public static class ObjectShape
{
    private static readonly string[] MetaStrings = ["name", "generateName", "namespace", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp"];

    public static void Require(JsonObject obj)
    {
        Expect(obj, "apiVersion", JsonValueKind.String, "");
        Expect(obj, "kind", JsonValueKind.String, "");
        if (!obj.TryGetPropertyValue("metadata", out var metaNode) || metaNode == null) return;
        if (metaNode is not JsonObject meta) throw Mismatch("metadata", "ObjectMeta", metaNode);
        foreach (var f in MetaStrings) Expect(meta, f, JsonValueKind.String, "metadata.");
        Expect(meta, "generation", JsonValueKind.Number, "metadata.");
        Expect(meta, "deletionGracePeriodSeconds", JsonValueKind.Number, "metadata.");
        StringMap(meta, "labels");
        StringMap(meta, "annotations");
        if (meta["finalizers"] is { } fin && (fin is not JsonArray arr || arr.Any(x => x?.GetValueKind() != JsonValueKind.String)))
            throw Mismatch("metadata.finalizers", "[]string", fin);
        if (meta["ownerReferences"] is { } owners && (owners is not JsonArray oa || oa.Any(x => x is not JsonObject)))
            throw Mismatch("metadata.ownerReferences", "[]OwnerReference", owners);
        if (meta["managedFields"] is { } mf && (mf is not JsonArray ma || ma.Any(x => x is not JsonObject)))
            throw Mismatch("metadata.managedFields", "[]ManagedFieldsEntry", mf);
    }

    private static void StringMap(JsonObject meta, string field)
    {
        if (meta[field] is not { } node) return;
        if (node is not JsonObject map || map.Any(kv => kv.Value is not null && kv.Value.GetValueKind() != JsonValueKind.String))
            throw Mismatch($"metadata.{field}", "map[string]string", node);
    }

    private static void Expect(JsonObject obj, string field, JsonValueKind kind, string prefix)
    {
        if (obj[field] is not { } v) return;
        if (v.GetValueKind() != kind)
            throw Mismatch(prefix + field, kind == JsonValueKind.String ? "string" : "int64", v);
    }

    private static ApiException Mismatch(string field, string type, JsonNode value) =>
        ApiException.BadRequest($"json: cannot unmarshal {Describe(value)} into Go struct field {field} of type {type}");

    private static string Describe(JsonNode v) => v.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };
}
