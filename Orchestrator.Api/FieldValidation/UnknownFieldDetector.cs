using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.OpenApi;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.FieldValidation;

/// <summary>
/// Finds the fields of a request body that its kind does not have, for <c>fieldValidation=Strict|Warn</c>. Paths use
/// the form upstream prints: dotted names with list indexes, such as <c>spec.template.spec.containers[0].imagee</c>.
/// Keys of maps (labels, annotations, data, resource lists) and content of free-form fields (RawExtension, FieldsV1,
/// x-kubernetes-preserve-unknown-fields) are never reported, and an unknown field's own content is not descended into.
/// The schemas are compiled once in the constructor and only read afterwards, so one instance can serve all requests.
/// </summary>
public sealed class UnknownFieldDetector
{
    private readonly Dictionary<(string Group, string Version, string Kind), SchemaNode> _kinds = new();

    /// <summary>Builds the detector from the served OpenAPI documents, so it checks exactly what explain shows.</summary>
    public UnknownFieldDetector(OpenApiDocuments documents)
    {
        foreach (var key in documents.Keys)
        {
            if (documents.Document(key)?["components"]?["schemas"] is not JsonObject schemas) continue;
            var table = schemas
                .Where(p => p.Value is JsonObject)
                .ToDictionary(p => p.Key, p => (JsonObject)p.Value!, StringComparer.Ordinal);
            AddKinds(table);
        }
    }

    private UnknownFieldDetector(IReadOnlyDictionary<string, JsonObject> schemas) => AddKinds(schemas);

    /// <summary>A detector over every schema of a registry, for kinds whether or not the catalog serves them.</summary>
    public static UnknownFieldDetector FromRegistry(SchemaRegistry registry) => new(registry.Schemas);

    private void AddKinds(IReadOnlyDictionary<string, JsonObject> schemas)
    {
        var compiler = new SchemaNodeCompiler(schemas);
        foreach (var (name, schema) in schemas)
        {
            if (schema["x-kubernetes-group-version-kind"] is not JsonArray gvks) continue;
            foreach (var gvk in gvks.OfType<JsonObject>())
            {
                var id = (Text(gvk["group"]), Text(gvk["version"]), Text(gvk["kind"]));
                // The same kind appears in several documents when one group-version's schemas reach another's
                // (every document carries Status); the first compilation is as good as any.
                if (!_kinds.ContainsKey(id)) _kinds[id] = compiler.CompileNamed(name);
            }
        }
    }

    /// <summary>Whether the kind has a schema; without one, <see cref="Find(ResourceKind, JsonObject)"/> reports nothing.</summary>
    public bool HasSchema(string group, string version, string kind) => _kinds.ContainsKey((group, version, kind));

    /// <summary>The unknown field paths of <paramref name="obj"/>, a whole object of <paramref name="kind"/>, in document order.</summary>
    public IReadOnlyList<string> Find(ResourceKind kind, JsonObject obj) => Find(kind.Group, kind.Version, kind.Kind, obj);

    /// <summary>
    /// Same as <see cref="Find(ResourceKind, JsonObject)"/> for a kind named by group/version/kind, e.g. the
    /// autoscaling/v1 Scale body of a scale subresource.
    /// </summary>
    public IReadOnlyList<string> Find(string group, string version, string kind, JsonObject obj)
    {
        if (!_kinds.TryGetValue((group, version, kind), out var root)) return [];
        var found = new List<string>();
        var path = new StringBuilder();
        foreach (var (key, value) in obj)
        {
            // Type information is checked elsewhere against the URL; here it is never "unknown".
            if (key is "apiVersion" or "kind") continue;
            Visit(root, key, value, path, found);
        }
        return found;
    }

    /// <summary>Checks one property <paramref name="key"/> of an object described by <paramref name="parent"/>.</summary>
    private static void Visit(SchemaNode parent, string key, JsonNode? value, StringBuilder path, List<string> found)
    {
        var mark = path.Length;
        if (mark > 0) path.Append('.');
        path.Append(key);
        switch (parent.Kind)
        {
            case SchemaNodeKind.Object when parent.Properties.TryGetValue(key, out var child):
                Check(child, value, path, found);
                break;
            case SchemaNodeKind.Object:
                found.Add(path.ToString());
                break;
            case SchemaNodeKind.Map:
                Check(parent.Element!, value, path, found);
                break;
        }
        path.Length = mark;
    }

    /// <summary>Checks a value against its schema. A value of the wrong JSON type is left to other validation.</summary>
    private static void Check(SchemaNode schema, JsonNode? value, StringBuilder path, List<string> found)
    {
        switch (schema.Kind)
        {
            case SchemaNodeKind.Object or SchemaNodeKind.Map when value is JsonObject o:
                foreach (var (key, child) in o) Visit(schema, key, child, path, found);
                break;
            case SchemaNodeKind.Array when value is JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var mark = path.Length;
                    path.Append('[').Append(i).Append(']');
                    Check(schema.Element!, a[i], path, found);
                    path.Length = mark;
                }
                break;
        }
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
