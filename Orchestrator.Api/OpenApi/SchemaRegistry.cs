using System.Text.Json.Nodes;
using static Orchestrator.Api.OpenApi.SchemaDsl;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// All component schemas the server knows, keyed by their upstream-style names (io.k8s.api.core.v1.Pod ...), plus an
/// index from group/version/kind to the schema describing that top-level kind. Filled once at start-up.
/// </summary>
public sealed class SchemaRegistry
{
    private readonly Dictionary<string, JsonObject> _schemas = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Version, string Kind), string> _kinds = new();

    public IReadOnlyDictionary<string, JsonObject> Schemas => _schemas;

    public void Add(string name, JsonObject schema)
    {
        if (!_schemas.TryAdd(name, schema)) throw new InvalidOperationException($"schema {name} defined twice");
    }

    /// <summary>Adds a top-level kind: apiVersion/kind/metadata first, then the given fields, tagged with its GVK.</summary>
    public void Kind(string name, string group, string version, string kind, string description, params Field[] fields)
    {
        var schema = Obj(description, [.. TypeMeta(), .. fields]);
        schema["x-kubernetes-group-version-kind"] = GvkArray(group, version, kind);
        Add(name, schema);
        _kinds[(group, version, kind)] = name;
    }

    public string? KindSchemaName(string group, string version, string kind) =>
        _kinds.TryGetValue((group, version, kind), out var n) ? n : null;

    /// <summary>The schemas for every built-in kind of <see cref="Orchestrator.Core.Model.ResourceCatalog.Default"/> and their parts.</summary>
    public static SchemaRegistry BuiltIn()
    {
        var r = new SchemaRegistry();
        MetaSchemas.Register(r);
        CoreV1Schemas.Register(r);
        CoreV1PodSchemas.Register(r);
        CoreV1VolumeSchemas.Register(r);
        AppsV1Schemas.Register(r);
        BatchV1Schemas.Register(r);
        OtherGroupSchemas.Register(r);
        return r;
    }
}
