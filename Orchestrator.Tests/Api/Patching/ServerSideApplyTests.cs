using System.Text.Json.Nodes;
using Orchestrator.Api.Patching;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Api.Patching;

public class ServerSideApplyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    private static JsonObject Config(int replicas = 2, string image = "nginx:1.27", string extraLabels = "",
        string extraContainers = "") => Json.Obj("""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"nginx","namespace":"default","labels":{"app":"nginx"@LABELS@}},
         "spec":{"replicas":@REPLICAS@,"selector":{"matchLabels":{"app":"nginx"}},
           "template":{"metadata":{"labels":{"app":"nginx"}},
             "spec":{"containers":[{"name":"nginx","image":"@IMAGE@","ports":[{"containerPort":80}]}@CONTAINERS@]}}}}
        """.Replace("@LABELS@", extraLabels).Replace("@REPLICAS@", replicas.ToString())
        .Replace("@IMAGE@", image).Replace("@CONTAINERS@", extraContainers));

    private static JsonObject Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().Select(e => e!.AsObject()).Single(e => e.Str("manager") == manager);

    private static bool Owns(JsonObject obj, string manager, params string[] path)
    {
        JsonNode? node = Entry(obj, manager)["fieldsV1"];
        foreach (var step in path) node = node?[step];
        return node != null;
    }

    [Fact]
    public void Apply_NoLiveObject_CreatesObjectWithApplyEntry()
    {
        var result = ServerSideApply.Apply(null, Config(), "kubectl", force: false, T0);

        Assert.True(result.Created);
        Assert.Equal(2, result.Object["spec"]!["replicas"]!.GetValue<int>());
        var entries = result.Object["metadata"]!["managedFields"]!.AsArray();
        Assert.Single(entries);
        Json.Equal("""
            {"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2026-01-02T03:04:05Z",
             "fieldsType":"FieldsV1",
             "fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}},
               "f:spec":{"f:replicas":{},"f:selector":{},
                 "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
                   "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},
                     "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}}
            """, entries[0]);
    }

    [Fact]
    public void Apply_SameConfigTwice_ReportsUnchangedAndKeepsTimestamp()
    {
        var first = ServerSideApply.Apply(null, Config(), "kubectl", false, T0).Object;

        var second = ServerSideApply.Apply(first, Config(), "kubectl", false, T1);

        Assert.False(second.Created);
        Assert.False(second.Changed);
        Assert.True(JsonNode.DeepEquals(first, second.Object));
    }

    [Fact]
    public void Apply_FieldsDroppedFromConfig_AreRemoved()
    {
        var live = ServerSideApply.Apply(null,
            Config(extraLabels: ""","tier":"web" """, extraContainers: """,{"name":"sidecar","image":"busybox"}"""),
            "kubectl", false, T0).Object;

        var result = ServerSideApply.Apply(live, Config(), "kubectl", false, T1).Object;

        Json.Equal("""{"app":"nginx"}""", result["metadata"]!["labels"]);
        Assert.Single(result["spec"]!["template"]!["spec"]!["containers"]!.AsArray());
        Assert.False(Owns(result, "kubectl", "f:metadata", "f:labels", "f:tier"));
        Assert.Equal("2026-01-02T03:05:05Z", Entry(result, "kubectl").Str("time"));
    }

    [Fact]
    public void Apply_ChangingFieldOwnedByOtherApplier_ThrowsConflictWithCauses()
    {
        var live = ServerSideApply.Apply(null, Config(replicas: 2), "a", false, T0).Object;

        var ex = Assert.Throws<ApiException>(() => ServerSideApply.Apply(live, Config(replicas: 3), "b", false, T1));

        Assert.Equal(409, ex.Code);
        Assert.Equal("Conflict", ex.Reason);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas", ex.Message);
        var cause = Assert.Single(ex.ExtraCauses);
        Json.Equal("""{"reason":"FieldManagerConflict","message":"conflict with \"a\"","field":".spec.replicas"}""", cause);
    }

    [Fact]
    public void Apply_ChangingFieldsOwnedByUpdateManager_ListsEveryConflict()
    {
        var created = ServerSideApply.UpdateManagedFields(null, Config(), "kubectl-client-side-apply", "Update", T0);

        var ex = Assert.Throws<ApiException>(() =>
            ServerSideApply.Apply(created, Config(replicas: 3, image: "nginx:1.28"), "kubectl", false, T1));

        Assert.Equal(409, ex.Code);
        Assert.Equal("""
            Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:
            - .spec.replicas
            - .spec.template.spec.containers[name="nginx"].image
            """.ReplaceLineEndings("\n"), ex.Message);
        Assert.Equal(2, ex.ExtraCauses.Count);
        Assert.All(ex.ExtraCauses, c =>
            Assert.Equal("conflict with \"kubectl-client-side-apply\" using apps/v1", c.Str("message")));
        Assert.Equal(409, ex.ToStatus()["code"]!.GetValue<int>());
    }

    [Fact]
    public void Apply_ForceOnConflict_TakesOwnership()
    {
        var live = ServerSideApply.Apply(null, Config(replicas: 2), "a", false, T0).Object;

        var result = ServerSideApply.Apply(live, Config(replicas: 3), "b", force: true, T1).Object;

        Assert.Equal(3, result["spec"]!["replicas"]!.GetValue<int>());
        Assert.True(Owns(result, "b", "f:spec", "f:replicas"));
        Assert.False(Owns(result, "a", "f:spec", "f:replicas"));
        Assert.True(Owns(result, "a", "f:spec", "f:selector"));
    }

    [Fact]
    public void Apply_SameValueFromTwoManagers_SharesOwnershipAndKeepsFieldWhenOneLetsGo()
    {
        var live = ServerSideApply.Apply(null, Config(replicas: 2), "a", false, T0).Object;
        live = ServerSideApply.Apply(live, Config(replicas: 2), "b", false, T1).Object;
        Assert.True(Owns(live, "a", "f:spec", "f:replicas"));
        Assert.True(Owns(live, "b", "f:spec", "f:replicas"));

        var withoutReplicas = Config();
        withoutReplicas["spec"]!.AsObject().Remove("replicas");
        var result = ServerSideApply.Apply(live, withoutReplicas, "a", false, T1).Object;

        Assert.Equal(2, result["spec"]!["replicas"]!.GetValue<int>());
        Assert.False(Owns(result, "a", "f:spec", "f:replicas"));
    }

    [Fact]
    public void UpdateManagedFields_UpdateChangesAppliedField_MovesOwnershipSoReapplyKeepsIt()
    {
        var applied = ServerSideApply.Apply(null, Config(replicas: 2), "kubectl", false, T0).Object;
        var scaled = applied.Clone();
        scaled["spec"]!["replicas"] = 5;

        var updated = ServerSideApply.UpdateManagedFields(applied, scaled, "kubectl-scale", "Update", T1);

        Assert.True(Owns(updated, "kubectl-scale", "f:spec", "f:replicas"));
        Assert.False(Owns(updated, "kubectl", "f:spec", "f:replicas"));
        Assert.Equal("Update", Entry(updated, "kubectl-scale").Str("operation"));

        var withoutReplicas = Config();
        withoutReplicas["spec"]!.AsObject().Remove("replicas");
        var reapplied = ServerSideApply.Apply(updated, withoutReplicas, "kubectl", false, T1).Object;
        Assert.Equal(5, reapplied["spec"]!["replicas"]!.GetValue<int>());

        var ex = Assert.Throws<ApiException>(() => ServerSideApply.Apply(updated, Config(replicas: 2), "kubectl", false, T1));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas", ex.Message);
    }

    [Fact]
    public void UpdateManagedFields_Create_RecordsNewMapsWithDotAndSkipsServerFields()
    {
        var obj = Json.Obj(Json.Deployment);

        var result = ServerSideApply.UpdateManagedFields(null, obj, "kubectl-client-side-apply", "Update", T0);

        var fields = Entry(result, "kubectl-client-side-apply")["fieldsV1"]!;
        Json.Equal("""{".":{},"f:app":{}}""", fields["f:metadata"]!["f:labels"]);
        Assert.Null(fields["f:metadata"]!["f:name"]);
        Assert.Null(fields["f:metadata"]!["f:uid"]);
        Assert.Null(fields["f:status"]);
        Assert.Null(fields["f:apiVersion"]);
        Assert.Null(fields["f:spec"]!["f:strategy"]!["."]);
        Assert.NotNull(fields["f:spec"]!["f:strategy"]!["f:rollingUpdate"]!["."]);
        Json.Equal("{}", fields["f:spec"]!["f:selector"]);
        Assert.Equal("apps/v1", Entry(result, "kubectl-client-side-apply").Str("apiVersion"));
    }

    [Fact]
    public void UpdateManagedFields_FieldRemovedByUpdate_NobodyOwnsIt()
    {
        var live = ServerSideApply.Apply(null, Config(extraLabels: ""","tier":"web" """), "kubectl", false, T0).Object;
        var edited = live.Clone();
        edited["metadata"]!["labels"]!.AsObject().Remove("tier");

        var result = ServerSideApply.UpdateManagedFields(live, edited, "kubectl-edit", "Update", T1);

        Assert.False(Owns(result, "kubectl", "f:metadata", "f:labels", "f:tier"));
        Assert.True(Owns(result, "kubectl", "f:metadata", "f:labels", "f:app"));
        Assert.DoesNotContain(result["metadata"]!["managedFields"]!.AsArray(), e => e.Str("manager") == "kubectl-edit");
    }

    [Fact]
    public void UpdateManagedFields_RequestRewritesManagedFields_KeepsRequestVersion()
    {
        var live = ServerSideApply.UpdateManagedFields(null, Config(), "kubectl-client-side-apply", "Update", T0);
        var upgraded = live.Clone();
        upgraded["metadata"]!["managedFields"]![0]!["manager"] = "kubectl";
        upgraded["metadata"]!["managedFields"]![0]!["operation"] = "Apply";

        var result = ServerSideApply.UpdateManagedFields(live, upgraded, "kubectl", "Update", T1);

        var entry = Assert.Single(result["metadata"]!["managedFields"]!.AsArray());
        Assert.Equal("Apply", entry.Str("operation"));
        Assert.Equal("kubectl", entry.Str("manager"));
    }

    [Fact]
    public void Apply_ConfigWithStatus_IgnoresStatusOnMainResource()
    {
        var live = Json.Obj(Json.Deployment);
        var config = Config();
        config["status"] = new JsonObject { ["replicas"] = 99 };

        var result = ServerSideApply.Apply(live, config, "kubectl", false, T0).Object;

        Assert.Equal(2, result["status"]!["replicas"]!.GetValue<int>());
        Assert.Null(Entry(result, "kubectl")["fieldsV1"]!["f:status"]);
        Assert.Equal("u-1", result.Uid());
    }

    [Fact]
    public void Apply_Finalizers_OwnedAsSetValues()
    {
        var config = Config();
        config["metadata"]!["finalizers"] = new JsonArray("example.com/a", "example.com/b");
        var live = ServerSideApply.Apply(null, config, "kubectl", false, T0).Object;
        Assert.True(Owns(live, "kubectl", "f:metadata", "f:finalizers", "v:\"example.com/a\""));

        config["metadata"]!["finalizers"] = new JsonArray("example.com/b");
        var result = ServerSideApply.Apply(live, config, "kubectl", false, T1).Object;

        Json.Equal("""["example.com/b"]""", result["metadata"]!["finalizers"]);
    }

    [Fact]
    public void Apply_AtomicSelector_IsReplacedWhole()
    {
        var live = ServerSideApply.Apply(null, Config(), "kubectl", false, T0).Object;
        var config = Config();
        config["spec"]!["selector"] = Json.Obj("""{"matchLabels":{"tier":"web"}}""");

        var result = ServerSideApply.Apply(live, config, "kubectl", false, T1).Object;

        Json.Equal("""{"matchLabels":{"tier":"web"}}""", result["spec"]!["selector"]);
    }

    [Fact]
    public void Apply_StatusSubresource_OwnsOnlyStatus()
    {
        var live = ServerSideApply.Apply(null, Config(), "kubectl", false, T0).Object;
        var status = Json.Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default"},
             "spec":{"replicas":9},"status":{"readyReplicas":2}}
            """);

        var result = ServerSideApply.Apply(live, status, "controller", false, T1, subresource: "status").Object;

        Assert.Equal(2, result["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, result["status"]!["readyReplicas"]!.GetValue<int>());
        var entry = Entry(result, "controller");
        Assert.Equal("status", entry.Str("subresource"));
        Json.Equal("""{"f:status":{"f:readyReplicas":{}}}""", entry["fieldsV1"]);
    }

    [Fact]
    public void Apply_ContainerAlsoAppliedByOtherManager_SurvivesRemovalByOne()
    {
        var sidecar = """,{"name":"sidecar","image":"busybox"}""";
        var live = ServerSideApply.Apply(null, Config(extraContainers: sidecar), "a", false, T0).Object;
        live = ServerSideApply.Apply(live, Config(extraContainers: sidecar), "b", false, T1).Object;

        var result = ServerSideApply.Apply(live, Config(), "a", false, T1).Object;

        Assert.Equal(2, result["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Count);
        Assert.False(Owns(result, "a", "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"sidecar\"}"));
        Assert.True(Owns(result, "b", "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"sidecar\"}"));
    }

    [Fact]
    public void Apply_ServicePortsSameNumberDifferentProtocol_StayDistinct()
    {
        var config = Json.Obj("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"dns"},
             "spec":{"ports":[{"port":53,"name":"dns-tcp"},{"port":53,"protocol":"UDP","name":"dns"}]}}
            """);
        var live = ServerSideApply.Apply(null, config, "kubectl", false, T0).Object;
        config["spec"]!["ports"]![1]!["targetPort"] = 5353;

        var result = ServerSideApply.Apply(live, config, "kubectl", false, T1).Object;

        Json.Equal("""[{"port":53,"name":"dns-tcp"},{"port":53,"protocol":"UDP","name":"dns","targetPort":5353}]""",
            result["spec"]!["ports"]);
        Assert.True(Owns(result, "kubectl", "f:spec", "f:ports", "k:{\"port\":53,\"protocol\":\"UDP\"}", "f:targetPort"));
        Assert.True(Owns(result, "kubectl", "f:spec", "f:ports", "k:{\"port\":53,\"protocol\":\"TCP\"}", "f:name"));
    }

    [Theory]
    [InlineData("""{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{}}}""")]
    [InlineData("""{"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:image":{}}}}}""")]
    [InlineData("""{"f:metadata":{"f:finalizers":{"v:\"x\"":{}}}}""")]
    public void FieldSet_FieldsV1_RoundTrips(string fieldsV1)
    {
        var set = FieldSet.FromFieldsV1(Json.Node(fieldsV1));

        Json.Equal(fieldsV1, set.ToFieldsV1());
    }
}
