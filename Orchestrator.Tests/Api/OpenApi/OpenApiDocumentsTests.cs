using System.Text.Json.Nodes;
using Orchestrator.Api.OpenApi;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Api.OpenApi;

public class OpenApiDocumentsTests
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.Default;
    private static readonly OpenApiDocuments Docs = new(Catalog);

    public static IEnumerable<object[]> Kinds() => Catalog.Kinds.Select(k => new object[] { k.Group, k.Kind });
    public static IEnumerable<object[]> DocKeys() => Docs.Keys.Select(k => new object[] { k });

    private static ResourceKind KindOf(string group, string kind) => Catalog.Kinds.Single(k => k.Group == group && k.Kind == kind);
    private static string DocKey(ResourceKind k) => k.Group.Length == 0 ? $"api/{k.Version}" : $"apis/{k.Group}/{k.Version}";

    private static bool IsGvk(JsonNode? node, string group, string version, string kind) =>
        node is JsonObject o && o["group"]?.GetValue<string>() == group && o["version"]?.GetValue<string>() == version
        && o["kind"]?.GetValue<string>() == kind;

    [Fact]
    public void Index_lists_every_group_version_with_a_hash()
    {
        var index = JsonNode.Parse(Docs.IndexJson)!["paths"]!.AsObject();
        var expected = Catalog.Kinds.Select(DocKey).Distinct().Order().ToList();
        Assert.Equal(expected, index.Select(p => p.Key).Order().ToList());
        foreach (var (key, value) in index)
            Assert.Matches($"^/openapi/v3/{System.Text.RegularExpressions.Regex.Escape(key)}\\?hash=[0-9A-F]{{64}}$",
                value!["serverRelativeURL"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_has_a_patch_op_with_gvk_and_field_validation_but_no_request_body(string group, string kind)
    {
        var k = KindOf(group, kind);
        var doc = Docs.Document(DocKey(k))!;
        var ns = k.Namespaced ? "/namespaces/{namespace}" : "";
        var item = doc["paths"]![$"{k.GroupVersionPath}{ns}/{k.Plural}/{{name}}"]!;
        var patch = item["patch"]!.AsObject();
        Assert.True(IsGvk(patch["x-kubernetes-group-version-kind"], group, k.Version, kind));
        Assert.Equal("patch", patch["x-kubernetes-action"]!.GetValue<string>());
        var query = patch["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query")
            .Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("fieldValidation", query);
        Assert.Contains("fieldManager", query);
        Assert.Contains("dryRun", query);
        Assert.Contains("force", query);
        // KUBECTL.md §1.7: a requestBody here makes kubectl compute apply patches from our schemas.
        Assert.Null(patch["requestBody"]);
        Assert.NotNull(item["get"]);
        Assert.NotNull(item["put"]);
        Assert.NotNull(item["delete"]);
        var collection = doc["paths"]![$"{k.GroupVersionPath}{ns}/{k.Plural}"]!;
        Assert.NotNull(collection["get"]);
        Assert.NotNull(collection["post"]);
    }

    [Fact]
    public void No_patch_operation_anywhere_declares_a_request_body()
    {
        foreach (var key in Docs.Keys)
            foreach (var (path, item) in Docs.Document(key)!["paths"]!.AsObject())
                Assert.True(item!["patch"]?["requestBody"] is null, $"{path} declares a PATCH requestBody");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_and_its_list_have_a_schema_tagged_with_their_gvk(string group, string kind)
    {
        var k = KindOf(group, kind);
        var schemas = Docs.Document(DocKey(k))!["components"]!["schemas"]!.AsObject();
        foreach (var name in new[] { kind, k.ListKind })
        {
            var tagged = schemas.Where(s => s.Value!["x-kubernetes-group-version-kind"] is JsonArray a
                && a.Any(g => IsGvk(g, group, k.Version, name))).ToList();
            Assert.Single(tagged);
            var props = tagged[0].Value!["properties"]!.AsObject();
            Assert.True(props.ContainsKey("metadata"), $"{name} has no metadata");
            Assert.True(props.ContainsKey("apiVersion"), $"{name} has no apiVersion");
        }
    }

    [Theory]
    [MemberData(nameof(DocKeys))]
    public void Every_ref_resolves_and_gvk_extensions_on_schemas_are_arrays(string key)
    {
        var doc = Docs.Document(key)!;
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var refs = new List<string>();
        Walk(doc, refs);
        Assert.NotEmpty(refs);
        foreach (var r in refs)
        {
            Assert.StartsWith("#/components/schemas/", r);
            Assert.True(schemas.ContainsKey(r["#/components/schemas/".Length..]), $"{key}: unresolved {r}");
        }
        foreach (var (name, schema) in schemas)
            if (schema!["x-kubernetes-group-version-kind"] is { } gvk)
                Assert.True(gvk is JsonArray, $"{name}: x-kubernetes-group-version-kind must be an array on schemas");
    }

    private static void Walk(JsonNode? node, List<string> refs)
    {
        if (node is JsonObject o)
            foreach (var (k, v) in o)
            {
                if (k == "$ref") refs.Add(v!.GetValue<string>());
                else Walk(v, refs);
            }
        else if (node is JsonArray a)
            foreach (var x in a) Walk(x, refs);
    }

    [Fact]
    public void Service_spec_carries_enums_merge_keys_and_int_or_string()
    {
        var schemas = Docs.Document("api/v1")!["components"]!["schemas"]!;
        var spec = schemas["io.k8s.api.core.v1.ServiceSpec"]!["properties"]!;
        Assert.Contains("NodePort", spec["type"]!["enum"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Contains("ClientIP", spec["sessionAffinity"]!["enum"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("port", spec["ports"]!["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal("merge", spec["ports"]!["x-kubernetes-patch-strategy"]!.GetValue<string>());
        var port = schemas["io.k8s.api.core.v1.ServicePort"]!;
        Assert.Contains("port", port["required"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("int32", port["properties"]!["port"]!["format"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            port["properties"]!["targetPort"]!["allOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.True(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]!["x-kubernetes-int-or-string"]!.GetValue<bool>());
        var container = schemas["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!;
        Assert.Equal("name", container["x-kubernetes-patch-merge-key"]!.GetValue<string>());
    }

    [Fact]
    public void Nested_fields_used_by_explain_exist()
    {
        var core = Docs.Document("api/v1")!["components"]!["schemas"]!;
        Assert.NotNull(core["io.k8s.api.core.v1.Container"]!["properties"]!["livenessProbe"]);
        foreach (var action in new[] { "httpGet", "tcpSocket", "exec", "grpc" })
            Assert.NotNull(core["io.k8s.api.core.v1.Probe"]!["properties"]![action]);
        var apps = Docs.Document("apis/apps/v1")!["components"]!["schemas"]!;
        Assert.NotNull(apps["io.k8s.api.apps.v1.RollingUpdateDeployment"]!["properties"]!["maxSurge"]);
        Assert.NotNull(apps["io.k8s.api.autoscaling.v1.Scale"]);
        var batch = Docs.Document("apis/batch/v1")!["components"]!["schemas"]!;
        Assert.Contains("Forbid", batch["io.k8s.api.batch.v1.CronJobSpec"]!["properties"]!["concurrencyPolicy"]!["enum"]!
            .AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public void A_kind_without_a_written_schema_still_gets_paths_and_a_tagged_schema()
    {
        var extra = new ResourceKind("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, ["sts"], ["all"], []);
        var docs = new OpenApiDocuments(new ResourceCatalog(Catalog.Kinds.Append(extra)));
        var doc = docs.Document("apis/apps/v1")!;
        var patch = doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}"]!["patch"]!;
        Assert.True(IsGvk(patch["x-kubernetes-group-version-kind"], "apps", "v1", "StatefulSet"));
        var schema = doc["components"]!["schemas"]!["io.k8s.api.apps.v1.StatefulSet"]!;
        Assert.True(IsGvk(schema["x-kubernetes-group-version-kind"]![0], "apps", "v1", "StatefulSet"));
    }

    [Fact]
    public void Documents_are_lookup_tolerant_of_slashes_and_unknown_keys_are_null()
    {
        Assert.NotNull(Docs.DocumentJson("/apis/apps/v1"));
        Assert.Null(Docs.DocumentJson("apis/nosuch/v1"));
    }
}
