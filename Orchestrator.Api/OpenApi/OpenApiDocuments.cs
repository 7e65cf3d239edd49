using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;
using static Orchestrator.Api.OpenApi.SchemaDsl;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// The OpenAPI v3 index and one document per served group-version. kubectl uses them for two things: deciding that the
/// server validates fields (a PATCH operation per kind with the fieldValidation parameter) and <c>kubectl explain</c>
/// (component schemas found through x-kubernetes-group-version-kind). The catalog never changes while the process
/// runs, so every document is built and serialized once in the constructor.
/// </summary>
public sealed class OpenApiDocuments
{
    private readonly Dictionary<string, JsonObject> _docs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _json = new(StringComparer.Ordinal);

    public OpenApiDocuments(ResourceCatalog catalog) : this(catalog, SchemaRegistry.BuiltIn()) { }

    public OpenApiDocuments(ResourceCatalog catalog, SchemaRegistry registry)
    {
        var index = new JsonObject();
        foreach (var gv in catalog.Kinds.GroupBy(k => (k.Group, k.Version)))
        {
            var key = gv.Key.Group.Length == 0 ? $"api/{gv.Key.Version}" : $"apis/{gv.Key.Group}/{gv.Key.Version}";
            var doc = new GroupVersionDocumentBuilder(registry, gv.Key.Group, gv.Key.Version).Build(gv);
            var json = doc.ToJsonString();
            _docs[key] = doc;
            _json[key] = json;
            // A content hash in the URL lets kubectl's HTTP cache keep a document until it really changes.
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
            index[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
        }
        IndexJson = new JsonObject { ["paths"] = index }.ToJsonString();
    }

    /// <summary>Serialized body of <c>GET /openapi/v3</c>.</summary>
    public string IndexJson { get; }

    /// <summary>Document keys: "api/v1", "apis/apps/v1", ...</summary>
    public IEnumerable<string> Keys => _docs.Keys;

    /// <summary>Serialized document for a key such as "apis/apps/v1"; null when that group-version is not served.</summary>
    public string? DocumentJson(string key) => _json.GetValueOrDefault(key.Trim('/'));

    /// <summary>A copy of the document for a key, for inspection.</summary>
    public JsonObject? Document(string key) =>
        _docs.TryGetValue(key.Trim('/'), out var d) ? (JsonObject)d.DeepClone() : null;
}

/// <summary>Builds one group-version document: paths for every kind, then the schemas those paths reach.</summary>
internal sealed class GroupVersionDocumentBuilder(SchemaRegistry registry, string group, string version)
{
    private readonly JsonObject _paths = new();
    // Schemas local to this document (generated List kinds, fallbacks for kinds without a written schema).
    private readonly Dictionary<string, JsonObject> _local = new(StringComparer.Ordinal);
    private readonly List<string> _roots = [Meta + "Status", Meta + "DeleteOptions"];

    private string OpPrefix
    {
        get
        {
            var g = group.Length == 0 ? "core" : group.Split('.')[0];
            return char.ToUpperInvariant(g[0]) + g[1..] + char.ToUpperInvariant(version[0]) + version[1..];
        }
    }

    public JsonObject Build(IEnumerable<ResourceKind> kinds)
    {
        foreach (var k in kinds) AddKind(k);

        var schemas = new JsonObject();
        foreach (var name in Closure())
            schemas[name] = (_local.TryGetValue(name, out var l) ? l : registry.Schemas[name]).DeepClone();

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = _paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private string PackagePrefix => group.Length == 0
        ? $"io.k8s.api.core.{version}."
        : $"io.k8s.api.{group.Split('.')[0]}.{version}.";

    private void AddKind(ResourceKind k)
    {
        var schema = registry.KindSchemaName(k.Group, k.Version, k.Kind);
        if (schema == null)
        {
            // A kind added to the catalog without a hand-written schema still gets a usable document, so that
            // validation negotiation and explain keep working for it (with spec/status left open).
            schema = PackagePrefix + k.Kind;
            var fallback = Obj($"{k.Kind} is a {k.ApiVersion} resource served by this API server.",
                [.. TypeMeta(),
                 AnyObj("spec", "Desired state of the object."),
                 AnyObj("status", "Most recently observed state of the object; read-only.")]);
            fallback["x-kubernetes-group-version-kind"] = GvkArray(k.Group, k.Version, k.Kind);
            _local[schema] = fallback;
        }
        var listSchema = schema + "List";
        var list = Obj($"{k.ListKind} is a list of {k.Kind} objects.",
            [.. TypeMeta(list: true), Req(List("items", schema, $"The {k.Plural} in this list."))]);
        list["x-kubernetes-group-version-kind"] = GvkArray(k.Group, k.Version, k.ListKind);
        _local[listSchema] = list;
        _roots.Add(schema);
        _roots.Add(listSchema);

        var ns = k.Namespaced ? "/namespaces/{namespace}" : "";
        var opNs = k.Namespaced ? "Namespaced" : "";
        var collection = $"{k.GroupVersionPath}{ns}/{k.Plural}";
        var item = collection + "/{name}";

        _paths[collection] = new JsonObject
        {
            ["get"] = Op($"list{OpPrefix}{opNs}{k.Kind}", "list", k, $"list or watch {k.Plural}", listSchema, ListParams()),
            ["post"] = WithBody(Op($"create{OpPrefix}{opNs}{k.Kind}", "post", k, $"create a {k.Kind}", schema, WriteParams()), schema),
            ["delete"] = WithBody(Op($"deletecollection{OpPrefix}{opNs}{k.Kind}", "deletecollection", k, $"delete a collection of {k.Plural}",
                Meta + "Status", [.. DeleteParams(), .. ListParams()]), Meta + "DeleteOptions"),
            ["parameters"] = PathParams(k.Namespaced, named: false),
        };
        _paths[item] = new JsonObject
        {
            ["get"] = Op($"read{OpPrefix}{opNs}{k.Kind}", "get", k, $"read the specified {k.Kind}", schema, []),
            ["put"] = WithBody(Op($"replace{OpPrefix}{opNs}{k.Kind}", "put", k, $"replace the specified {k.Kind}", schema, WriteParams()), schema),
            ["patch"] = PatchOp($"patch{OpPrefix}{opNs}{k.Kind}", k.Group, k.Version, k.Kind, $"partially update the specified {k.Kind}", schema),
            ["delete"] = WithBody(Op($"delete{OpPrefix}{opNs}{k.Kind}", "delete", k, $"delete a {k.Kind}", Meta + "Status", DeleteParams()),
                Meta + "DeleteOptions"),
            ["parameters"] = PathParams(k.Namespaced, named: true),
        };
        if (k.Namespaced)
        {
            _paths[$"{k.GroupVersionPath}/{k.Plural}"] = new JsonObject
            {
                ["get"] = Op($"list{OpPrefix}{k.Kind}ForAllNamespaces", "list", k, $"list or watch {k.Plural} in every namespace", listSchema, ListParams()),
                ["parameters"] = new JsonArray(Query("pretty", "string", "If 'true', the output is indented.")),
            };
        }

        // status and scale are plain get/put/patch subresources; log, exec and friends are streams, not documented here.
        foreach (var sub in k.Subresources.Where(s => s.Name is "status" or "scale"))
        {
            var subSchema = sub.Name == "scale" ? Autoscaling + "Scale" : schema;
            var (sg, sv, sk) = sub.Name == "scale" ? (sub.ResponseGroup, sub.ResponseVersion, sub.ResponseKind) : (k.Group, k.Version, k.Kind);
            var suffix = sub.Name == "scale" ? "Scale" : "Status";
            if (sub.Name == "scale") _roots.Add(subSchema);
            _paths[$"{item}/{sub.Name}"] = new JsonObject
            {
                ["get"] = Op($"read{OpPrefix}{opNs}{k.Kind}{suffix}", "get", sg, sv, sk, $"read {sub.Name} of the specified {k.Kind}", subSchema, []),
                ["put"] = WithBody(Op($"replace{OpPrefix}{opNs}{k.Kind}{suffix}", "put", sg, sv, sk, $"replace {sub.Name} of the specified {k.Kind}",
                    subSchema, WriteParams()), subSchema),
                ["patch"] = PatchOp($"patch{OpPrefix}{opNs}{k.Kind}{suffix}", sg, sv, sk, $"partially update {sub.Name} of the specified {k.Kind}", subSchema),
                ["parameters"] = PathParams(k.Namespaced, named: true),
            };
        }
    }

    private JsonObject Op(string id, string action, ResourceKind k, string summary, string response, JsonNode[] query) =>
        Op(id, action, k.Group, k.Version, k.Kind, summary, response, query);

    private JsonObject Op(string id, string action, string g, string v, string kind, string summary, string response, JsonNode[] query)
    {
        var op = new JsonObject
        {
            ["tags"] = new JsonArray(OpPrefix.ToLowerInvariant()[..1] + OpPrefix[1..]),
            ["description"] = summary,
            ["operationId"] = id,
            ["responses"] = new JsonObject
            {
                ["200"] = Response("OK", response),
                ["401"] = new JsonObject { ["description"] = "Unauthorized" },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = g, ["version"] = v, ["kind"] = kind },
        };
        if (action is "post" or "put") ((JsonObject)op["responses"]!)["201"] = Response("Created", response);
        if (query.Length > 0) op["parameters"] = new JsonArray(query);
        return op;
    }

    /// <summary>
    /// The PATCH operation kubectl inspects to decide on server-side field validation. It deliberately has no
    /// requestBody: declaring strategic-merge-patch content there makes kubectl compute apply patches from these
    /// schemas instead of its compiled-in types (KUBECTL.md §1.7).
    /// </summary>
    private JsonObject PatchOp(string id, string g, string v, string kind, string summary, string response)
    {
        var op = Op(id, "patch", g, v, kind, summary, response,
        [
            Query("dryRun", "string", "When present, the change is validated but not persisted; the only accepted value is All."),
            Query("fieldManager", "string", "Name of the actor making the change, recorded for field ownership; required for apply patches."),
            Query("fieldValidation", "string", "How to treat unknown or duplicate fields in the body: Ignore, Warn or Strict."),
            Query("force", "boolean", "For apply patches, take ownership of fields that other managers own; must be unset for other patch types."),
        ]);
        ((JsonObject)op["responses"]!)["201"] = Response("Created", response);
        return op;
    }

    private static JsonObject WithBody(JsonObject op, string schema)
    {
        op["requestBody"] = new JsonObject
        {
            ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = RefNode(schema) } },
        };
        return op;
    }

    private static JsonObject Response(string description, string schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject
        {
            ["application/json"] = new JsonObject { ["schema"] = RefNode(schema) },
            ["application/yaml"] = new JsonObject { ["schema"] = RefNode(schema) },
        },
    };

    private static JsonObject Query(string name, string type, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
    };

    private static JsonArray PathParams(bool namespaced, bool named)
    {
        var a = new JsonArray();
        if (named)
            a.Add(new JsonObject
            {
                ["name"] = "name", ["in"] = "path", ["required"] = true, ["description"] = "Name of the object.",
                ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
            });
        if (namespaced)
            a.Add(new JsonObject
            {
                ["name"] = "namespace", ["in"] = "path", ["required"] = true, ["description"] = "Namespace the objects live in.",
                ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
            });
        a.Add(Query("pretty", "string", "If 'true', the output is indented."));
        return a;
    }

    private static JsonNode[] ListParams() =>
    [
        Query("allowWatchBookmarks", "boolean", "Ask for BOOKMARK events during a watch."),
        Query("continue", "string", "Token from a previous paged list response to fetch the next page."),
        Query("fieldSelector", "string", "Restrict the results by field values, e.g. metadata.name=foo."),
        Query("labelSelector", "string", "Restrict the results by label selector, e.g. app=web,tier!=db."),
        Query("limit", "integer", "Maximum number of items to return in one page."),
        Query("resourceVersion", "string", "Which version of the data to serve; for a watch, where to start."),
        Query("resourceVersionMatch", "string", "How resourceVersion is applied to a list: Exact or NotOlderThan."),
        Query("sendInitialEvents", "boolean", "For a watch, start with synthetic ADDED events for the current state."),
        Query("timeoutSeconds", "integer", "Server-side time limit for the list or watch call."),
        Query("watch", "boolean", "Stream changes instead of returning a list."),
    ];

    private static JsonNode[] WriteParams() =>
    [
        Query("dryRun", "string", "When present, the change is validated but not persisted; the only accepted value is All."),
        Query("fieldManager", "string", "Name of the actor making the change, recorded for field ownership."),
        Query("fieldValidation", "string", "How to treat unknown or duplicate fields in the body: Ignore, Warn or Strict."),
    ];

    private static JsonNode[] DeleteParams() =>
    [
        Query("dryRun", "string", "When present, the deletion is validated but not performed; the only accepted value is All."),
        Query("gracePeriodSeconds", "integer", "Seconds to wait before the object is removed; zero deletes immediately."),
        Query("propagationPolicy", "string", "How dependents are garbage collected: Orphan, Background or Foreground."),
    ];

    /// <summary>Every schema reachable through $ref from the root schemas, in a stable (sorted) order.</summary>
    private IEnumerable<string> Closure()
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(_roots);
        while (stack.Count > 0)
        {
            var name = stack.Pop();
            if (!seen.Add(name)) continue;
            var schema = _local.TryGetValue(name, out var l) ? l
                : registry.Schemas.TryGetValue(name, out var s) ? s
                : throw new InvalidOperationException($"schema {name} is referenced but not defined");
            foreach (var r in Refs(schema)) stack.Push(r);
        }
        return seen;
    }

    internal static IEnumerable<string> Refs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "$ref" && value is JsonValue v && v.TryGetValue<string>(out var r) && r.StartsWith(RefPrefix, StringComparison.Ordinal))
                        yield return r[RefPrefix.Length..];
                    else
                        foreach (var x in Refs(value)) yield return x;
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    foreach (var x in Refs(item)) yield return x;
                break;
        }
    }
}
