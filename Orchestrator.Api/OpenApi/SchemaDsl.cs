using System.Text.Json.Nodes;

namespace Orchestrator.Api.OpenApi;

/// <summary>One property of an object schema.</summary>
public sealed record Field(string Name, JsonObject Schema, bool Required = false);

/// <summary>
/// A compact way to write OpenAPI v3 component schemas as C# data. Every helper builds fresh JSON nodes, because a
/// JsonNode can only have one parent. Nested objects are referenced through <c>allOf:[{$ref}]</c>, as upstream does,
/// so a field can carry its own description next to the shared type.
/// </summary>
public static class SchemaDsl
{
    public const string RefPrefix = "#/components/schemas/";

    // Schema name prefixes, to keep the tables short.
    public const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    public const string CoreV1 = "io.k8s.api.core.v1.";
    public const string Apps = "io.k8s.api.apps.v1.";
    public const string Batch = "io.k8s.api.batch.v1.";
    public const string Disc = "io.k8s.api.discovery.v1.";
    public const string Coord = "io.k8s.api.coordination.v1.";
    public const string Events = "io.k8s.api.events.v1.";
    public const string Autoscaling = "io.k8s.api.autoscaling.v1.";
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public const string Time = Meta + "Time";
    public const string MicroTime = Meta + "MicroTime";

    /// <summary>An object schema with the given properties; required ones are collected into <c>required</c>.</summary>
    public static JsonObject Obj(string description, params Field[] fields)
    {
        var props = new JsonObject();
        var required = new JsonArray();
        foreach (var f in fields)
        {
            props[f.Name] = f.Schema;
            if (f.Required) required.Add(f.Name);
        }
        var o = new JsonObject { ["description"] = description, ["type"] = "object", ["properties"] = props };
        if (required.Count > 0) o["required"] = required;
        return o;
    }

    public static Field Req(Field f) => f with { Required = true };

    private static JsonObject Typed(string type, string description, string? format = null)
    {
        var o = new JsonObject { ["description"] = description, ["type"] = type };
        if (format != null) o["format"] = format;
        return o;
    }

    public static Field Str(string name, string description) => new(name, Typed("string", description));
    public static Field Bytes(string name, string description) => new(name, Typed("string", description, "byte"));
    public static Field Int(string name, string description) => new(name, Typed("integer", description, "int32"));
    public static Field Long(string name, string description) => new(name, Typed("integer", description, "int64"));
    public static Field Bool(string name, string description) => new(name, Typed("boolean", description));
    public static Field Num(string name, string description) => new(name, Typed("number", description, "double"));

    /// <summary>A string restricted to the listed values (kubectl explain prints them as "enum: ...").</summary>
    public static Field Enum(string name, string description, params string[] values)
    {
        var o = Typed("string", description);
        o["enum"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        return new(name, o);
    }

    /// <summary>A nested object of a named type.</summary>
    public static Field Ref(string name, string schema, string description) => new(name, new JsonObject
    {
        ["description"] = description,
        ["allOf"] = new JsonArray(RefNode(schema)),
    });

    public static Field Timestamp(string name, string description) => Ref(name, Time, description);
    public static Field Qty(string name, string description) => Ref(name, Quantity, description);
    public static Field IntOrStr(string name, string description) => Ref(name, IntOrString, description);

    public static JsonObject RefNode(string schema) => new() { ["$ref"] = RefPrefix + schema };

    /// <summary>A list of strings; <paramref name="set"/> marks it as a set (x-kubernetes-list-type: set).</summary>
    public static Field StrList(string name, string description, bool set = false)
    {
        var o = Typed("array", description);
        o["items"] = new JsonObject { ["type"] = "string", ["default"] = "" };
        o["x-kubernetes-list-type"] = set ? "set" : "atomic";
        return new(name, o);
    }

    /// <summary>A list of integers (int32 or int64 by <paramref name="format"/>), such as supplemental group IDs or exit codes.</summary>
    public static Field IntList(string name, string description, string format = "int32", bool set = false)
    {
        var o = Typed("array", description);
        o["items"] = new JsonObject { ["type"] = "integer", ["format"] = format, ["default"] = 0 };
        o["x-kubernetes-list-type"] = set ? "set" : "atomic";
        return new(name, o);
    }

    /// <summary>
    /// A list of objects. With a merge key, strategic merge patch merges items by that key, and server-side apply
    /// treats the list as a map keyed by it; both facts are advertised as upstream does.
    /// </summary>
    public static Field List(string name, string schema, string description, string? mergeKey = null, string strategy = "merge", params string[] mapKeys)
    {
        var o = Typed("array", description);
        o["items"] = new JsonObject { ["allOf"] = new JsonArray(RefNode(schema)), ["default"] = new JsonObject() };
        if (mergeKey != null)
        {
            o["x-kubernetes-patch-merge-key"] = mergeKey;
            o["x-kubernetes-patch-strategy"] = strategy;
            o["x-kubernetes-list-type"] = "map";
            var keys = mapKeys.Length > 0 ? mapKeys : [mergeKey];
            o["x-kubernetes-list-map-keys"] = new JsonArray(keys.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());
        }
        else
        {
            o["x-kubernetes-list-type"] = "atomic";
        }
        return new(name, o);
    }

    /// <summary>A string-to-string map (labels, annotations, data, nodeSelector...).</summary>
    public static Field StrMap(string name, string description)
    {
        var o = Typed("object", description);
        o["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = "" };
        return new(name, o);
    }

    /// <summary>A map from string to a named type (e.g. resource name to Quantity).</summary>
    public static Field RefMap(string name, string schema, string description)
    {
        var o = Typed("object", description);
        o["additionalProperties"] = RefNode(schema);
        return new(name, o);
    }

    /// <summary>A map of base64-encoded byte strings (Secret.data, ConfigMap.binaryData).</summary>
    public static Field BytesMap(string name, string description)
    {
        var o = Typed("object", description);
        o["additionalProperties"] = new JsonObject { ["type"] = "string", ["format"] = "byte" };
        return new(name, o);
    }

    /// <summary>Free-form JSON whose content the server does not constrain.</summary>
    public static Field AnyObj(string name, string description)
    {
        var o = Typed("object", description);
        o["x-kubernetes-preserve-unknown-fields"] = true;
        return new(name, o);
    }

    /// <summary>Standard apiVersion/kind/metadata fields at the head of every top-level kind.</summary>
    public static Field[] TypeMeta(bool list = false) =>
    [
        Str("apiVersion", "Versioned schema of this representation, such as v1 or apps/v1; clients use it to pick a decoder."),
        Str("kind", "The REST resource type this object represents, written in CamelCase."),
        list
            ? Ref("metadata", Meta + "ListMeta", "Standard list metadata such as resourceVersion and continue token.")
            : Ref("metadata", Meta + "ObjectMeta", "Standard object metadata: name, namespace, labels, annotations and so on."),
    ];

    /// <summary>The x-kubernetes-group-version-kind value (an array with one entry) that explain uses to find a kind.</summary>
    public static JsonArray GvkArray(string group, string version, string kind) =>
        new(new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind });
}
