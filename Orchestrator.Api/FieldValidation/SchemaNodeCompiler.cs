using System.Text.Json.Nodes;
using Orchestrator.Api.OpenApi;

namespace Orchestrator.Api.FieldValidation;

/// <summary>
/// Compiles the OpenAPI v3 component schemas of one document into <see cref="SchemaNode"/> trees. It follows
/// <c>$ref</c> and <c>allOf</c>, treats maps (<c>additionalProperties</c>) and
/// <c>x-kubernetes-preserve-unknown-fields</c> as open, and scalar-like types (int-or-string, Quantity, Time) as
/// leaves. Anything it cannot make sense of becomes open: a detector that rejects a valid manifest is worse than one
/// that misses an unknown field.
/// </summary>
internal sealed class SchemaNodeCompiler(IReadOnlyDictionary<string, JsonObject> schemas)
{
    private readonly Dictionary<string, SchemaNode> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    /// <summary>The node for a named component schema; an unknown name yields an open node.</summary>
    public SchemaNode CompileNamed(string name)
    {
        if (_byName.TryGetValue(name, out var done)) return done;
        if (!schemas.TryGetValue(name, out var schema)) return SchemaNode.NewOpen();
        // A cycle that does not pass through an object (which registers itself before descending) cannot describe
        // finite JSON anyway; accepting anything there is the safe answer.
        if (!_inProgress.Add(name)) return SchemaNode.NewOpen();
        try
        {
            return Compile(schema, name);
        }
        finally
        {
            _inProgress.Remove(name);
        }
    }

    /// <param name="name">Set when <paramref name="schema"/> is a named component, so that an object node can be
    /// registered under that name before its properties are compiled (breaking reference cycles).</param>
    private SchemaNode Compile(JsonObject schema, string? name = null)
    {
        if (IsTrue(schema["x-kubernetes-preserve-unknown-fields"])) return Register(name, SchemaNode.NewOpen());

        // allOf parts and the schema's own keywords all apply; upstream wraps one $ref in allOf so that a field can
        // carry its own description, which is by far the usual case.
        var parts = new List<SchemaNode>();
        if (schema["$ref"] is JsonValue refValue && refValue.TryGetValue<string>(out var reference))
            parts.Add(CompileRef(reference));
        if (schema["allOf"] is JsonArray allOf)
            foreach (var part in allOf.OfType<JsonObject>())
                parts.Add(Compile(part));

        var own = CompileOwn(schema, name, out var ownIsUnconstrained);
        if (parts.Count == 0) return own;
        if (!ownIsUnconstrained) parts.Add(own);
        return Register(name, Merge(parts));
    }

    /// <summary>The node described by the schema's own type keywords, ignoring $ref and allOf.</summary>
    private SchemaNode CompileOwn(JsonObject schema, string? name, out bool unconstrained)
    {
        unconstrained = false;
        if (IsTrue(schema["x-kubernetes-int-or-string"])) return Register(name, SchemaNode.NewLeaf());
        var type = schema["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;

        if (type == "array" || (type == null && schema["items"] != null))
        {
            var items = schema["items"] is JsonObject itemSchema ? Compile(itemSchema) : SchemaNode.NewOpen();
            return Register(name, SchemaNode.ArrayOf(items));
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        if (properties == null && additional is JsonObject valueSchema)
            return Register(name, SchemaNode.MapOf(Compile(valueSchema)));
        if (properties == null && IsTrue(additional))
            return Register(name, SchemaNode.NewOpen());

        if (properties != null)
        {
            // Properties next to additionalProperties would make every other key legal; such a schema is open.
            if (additional is JsonObject || IsTrue(additional)) return Register(name, SchemaNode.NewOpen());
            var node = Register(name, SchemaNode.NewObject());
            foreach (var (key, value) in properties)
                node.Properties[key] = value is JsonObject propertySchema ? Compile(propertySchema) : SchemaNode.NewOpen();
            return node;
        }

        // Nothing here constrains keys: when $ref/allOf describe the value, they alone decide (a "type: object"
        // written next to an allOf must not open it up).
        unconstrained = true;
        // An object without properties lists no fields to compare with (upstream's FieldsV1 is one), so it is open.
        return Register(name, type == "object" ? SchemaNode.NewOpen() : SchemaNode.NewLeaf());
    }

    private SchemaNode CompileRef(string reference) =>
        reference.StartsWith(SchemaDsl.RefPrefix, StringComparison.Ordinal)
            ? CompileNamed(reference[SchemaDsl.RefPrefix.Length..])
            : SchemaNode.NewOpen();

    /// <summary>Combines the parts of an allOf: open wins; objects pool their properties; otherwise the first shape.</summary>
    private static SchemaNode Merge(List<SchemaNode> parts)
    {
        if (parts.Count == 1) return parts[0];
        if (parts.Any(p => p.Kind == SchemaNodeKind.Open)) return SchemaNode.NewOpen();
        var objects = parts.Where(p => p.Kind == SchemaNodeKind.Object).ToList();
        if (objects.Count == 0) return parts.FirstOrDefault(p => p.Kind != SchemaNodeKind.Leaf) ?? parts[0];
        if (objects.Count != parts.Count) return SchemaNode.NewOpen();
        var merged = SchemaNode.NewObject();
        foreach (var o in objects)
            foreach (var (k, v) in o.Properties)
                merged.Properties.TryAdd(k, v);
        return merged;
    }

    private SchemaNode Register(string? name, SchemaNode node)
    {
        if (name != null) _byName[name] = node;
        return node;
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
