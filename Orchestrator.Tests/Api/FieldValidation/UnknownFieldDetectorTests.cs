using System.Text.Json.Nodes;
using Orchestrator.Api.FieldValidation;
using Orchestrator.Api.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Api.FieldValidation;

public class UnknownFieldDetectorTests
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.Default;
    private static readonly UnknownFieldDetector Detector = new(new OpenApiDocuments(Catalog));

    private static ResourceKind KindOf(string apiVersion, string kind) => Catalog.FindByApiVersionKind(apiVersion, kind)!;

    private static IReadOnlyList<string> Find(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        return Detector.Find(KindOf(obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>()), obj);
    }

    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"app":"d"}},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},
                 "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"x","image":"x"}]}}}}
        """;

    [Fact]
    public void A_valid_object_has_no_unknown_fields() => Assert.Empty(Find(Deployment));

    [Fact]
    public void Unknown_top_level_field_is_reported()
    {
        var obj = JsonNode.Parse(Deployment)!.AsObject();
        obj["bogusTopLevel"] = 1;
        Assert.Equal(["bogusTopLevel"], Detector.Find(KindOf("apps/v1", "Deployment"), obj));
    }

    [Fact]
    public void Unknown_nested_field_is_reported_with_a_dotted_path()
    {
        var obj = JsonNode.Parse(Deployment)!.AsObject();
        obj["spec"]!["replica"] = 3;
        Assert.Equal(["spec.replica"], Detector.Find(KindOf("apps/v1", "Deployment"), obj));
    }

    [Fact]
    public void Unknown_field_inside_a_list_element_carries_the_index()
    {
        var obj = JsonNode.Parse(Deployment)!.AsObject();
        var containers = obj["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        containers.Add(new JsonObject { ["name"] = "y", ["imagee"] = "y" });
        containers[1]!["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80, ["prot"] = "TCP" });
        Assert.Equal(
            ["spec.template.spec.containers[1].imagee", "spec.template.spec.containers[1].ports[0].prot"],
            Detector.Find(KindOf("apps/v1", "Deployment"), obj));
    }

    [Fact]
    public void Several_unknown_fields_come_in_document_order_and_their_content_is_not_descended()
    {
        var found = Find("""
            {"apiVersion":"v1","kind":"Service","zzz":1,"metadata":{"name":"s","nme":"x"},
             "spec":{"b":{"deep":{"deeper":1}},"ports":[{"port":80}],"a":2}}
            """);
        Assert.Equal(["zzz", "metadata.nme", "spec.b", "spec.a"], found);
    }

    [Fact]
    public void Map_keys_are_data_not_fields()
    {
        var found = Find("""
            {"apiVersion":"v1","kind":"ConfigMap",
             "metadata":{"name":"c","labels":{"anything/goes":"1"},"annotations":{"x.y/z":"2"}},
             "data":{"whatever":"v","more":"w"},"binaryData":{"k":"AAAA"}}
            """);
        Assert.Empty(found);
    }

    [Fact]
    public void Map_values_of_a_scalar_type_are_leaves()
    {
        var found = Find("""
            {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},
             "spec":{"hard":{"cpu":"10","requests.memory":"1Gi","count/pods":5}},"status":{"used":{"cpu":"1"}}}
            """);
        Assert.Empty(found);
    }

    [Fact]
    public void Preserve_unknown_fields_content_is_not_reported()
    {
        var found = Find("""
            {"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"r"},"revision":2,
             "data":{"spec":{"template":{"anything":{"at":"all"}}},"unlisted":true}}
            """);
        Assert.Empty(found);
    }

    [Fact]
    public void ManagedFields_fieldsV1_is_free_form_but_the_entry_is_checked()
    {
        var found = Find("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","managedFields":[
              {"manager":"kubectl","operation":"Apply","apiVersion":"v1","time":"2024-01-01T00:00:00Z","fieldsType":"FieldsV1",
               "fieldsV1":{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{".":{}}}},"bogus":1}]}}
            """);
        Assert.Equal(["metadata.managedFields[0].bogus"], found);
    }

    [Fact]
    public void Int_or_string_quantity_and_time_values_are_leaves_even_when_written_as_objects()
    {
        // A wrongly typed value is a type error for other validation, not an unknown field.
        var found = Find("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","creationTimestamp":null},
             "spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":{"odd":1}}},
                                    "livenessProbe":{"httpGet":{"port":{"odd":1}}}}]}}
            """);
        Assert.Empty(found);
    }

    [Fact]
    public void Status_is_checked_too()
    {
        var found = Find("""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r"},
             "spec":{"selector":{"matchLabels":{"a":"b"}}},"status":{"replicas":1,"readyReplica":1}}
            """);
        Assert.Equal(["status.readyReplica"], found);
    }

    [Fact]
    public void Ephemeral_containers_accept_targetContainerName_but_regular_containers_do_not()
    {
        var found = Find("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
             "spec":{"containers":[{"name":"c","targetContainerName":"x"}],
                     "ephemeralContainers":[{"name":"dbg","image":"busybox","targetContainerName":"c"}]}}
            """);
        Assert.Equal(["spec.containers[0].targetContainerName"], found);
    }

    [Fact]
    public void Values_of_the_wrong_json_type_are_not_reported()
    {
        var found = Find("""
            {"apiVersion":"v1","kind":"Pod","metadata":"oops","spec":{"containers":{"name":"c"},"volumes":[1,"x",null]}}
            """);
        Assert.Empty(found);
    }

    [Fact]
    public void ApiVersion_and_kind_are_ignored_even_on_a_kind_whose_schema_would_allow_them()
    {
        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "n" } };
        Assert.Empty(Detector.Find(KindOf("v1", "Namespace"), obj));
    }

    [Fact]
    public void A_kind_without_a_schema_yields_nothing()
    {
        var detector = UnknownFieldDetector.FromRegistry(new SchemaRegistry());
        var obj = JsonNode.Parse(Deployment)!.AsObject();
        obj["bogus"] = 1;
        Assert.False(detector.HasSchema("apps", "v1", "Deployment"));
        Assert.Empty(detector.Find(KindOf("apps/v1", "Deployment"), obj));
    }

    [Fact]
    public void A_catalog_kind_without_a_written_schema_checks_metadata_but_leaves_spec_and_status_open()
    {
        var extra = new ResourceKind("example.com", "v1", "Widget", "widgets", "widget", true, [], [], []);
        var catalog = new ResourceCatalog(Catalog.Kinds.Append(extra));
        var detector = new UnknownFieldDetector(new OpenApiDocuments(catalog));
        var obj = JsonNode.Parse("""
            {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","nmae":"x"},
             "spec":{"anything":1},"status":{"any":2}}
            """)!.AsObject();
        Assert.Equal(["metadata.nmae"], detector.Find(extra, obj));
    }

    [Fact]
    public void Every_served_kind_has_a_schema()
    {
        foreach (var k in Catalog.Kinds)
            Assert.True(Detector.HasSchema(k.Group, k.Version, k.Kind), k.Kind);
    }

    [Fact]
    public void The_scale_subresource_body_is_checked_as_autoscaling_v1_Scale()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"d"},"spec":{"replicas":3,"replica":3}}
            """)!.AsObject();
        Assert.Equal(["spec.replica"], Detector.Find("autoscaling", "v1", "Scale", obj));
    }

    [Fact]
    public void Detector_from_registry_agrees_with_detector_from_documents()
    {
        var fromRegistry = UnknownFieldDetector.FromRegistry(SchemaRegistry.BuiltIn());
        var obj = JsonNode.Parse(Deployment)!.AsObject();
        obj["spec"]!["template"]!["spec"]!["containers"]![0]!["imagee"] = "x";
        Assert.Equal(Detector.Find(KindOf("apps/v1", "Deployment"), obj), fromRegistry.Find(KindOf("apps/v1", "Deployment"), obj));
    }

    [Fact]
    public void AddFieldValidation_registers_one_detector_built_from_the_served_documents()
    {
        using var provider = new ServiceCollection().AddFieldValidation().BuildServiceProvider();
        var detector = provider.GetRequiredService<UnknownFieldDetector>();
        Assert.Same(detector, provider.GetRequiredService<UnknownFieldDetector>());
        var obj = JsonNode.Parse(Deployment)!.AsObject();
        obj["spec"]!["replica"] = 1;
        Assert.Equal(["spec.replica"], detector.Find(KindOf("apps/v1", "Deployment"), obj));
    }
}
