using System.Text.Json.Nodes;
using Orchestrator.Api.Patching;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Api.Patching;

public class StrategicMergePatchTests
{
    // The two patches kubectl apply sends in KUBECTL.md §2.9: image + port change with a sidecar added, then reverted.
    private const string AddSidecar = """
        {"spec":{"template":{"spec":{
          "$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],
          "containers":[{"$setElementOrder/ports":[{"containerPort":9090}],"image":"nginx:1.28","name":"nginx",
                         "ports":[{"containerPort":9090},{"$patch":"delete","containerPort":8080}]},
                        {"args":["sleep","infinity"],"image":"busybox:1.36","name":"sidecar"}]}}}}
        """;

    private const string Revert = """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],
          "containers":[{"$setElementOrder/ports":[{"containerPort":8080}],"image":"nginx:1.27","name":"nginx",
                         "ports":[{"containerPort":8080},{"$patch":"delete","containerPort":9090}]},
                        {"$patch":"delete","name":"sidecar"}]}}}}
        """;

    private static JsonObject Patch(string original, string patch, string group = "apps", string kind = "Deployment") =>
        StrategicMergePatch.Apply(Json.Obj(original), Json.Obj(patch), group, kind);

    [Fact]
    public void Apply_KubectlAddSidecarPatch_MergesContainersByNameAndPortsByContainerPort()
    {
        var result = Patch(Json.Deployment, AddSidecar);

        Json.Equal("""
            [{"name":"nginx","image":"nginx:1.28","ports":[{"containerPort":9090}],
              "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
             {"args":["sleep","infinity"],"image":"busybox:1.36","name":"sidecar"}]
            """, result["spec"]!["template"]!["spec"]!["containers"]);
        Assert.Equal(2, result["spec"]!["replicas"]!.GetValue<int>());
        Assert.False(Json.HasDirective(result));
    }

    [Fact]
    public void Apply_KubectlRevertPatch_RestoresOriginalContainers()
    {
        var original = Json.Obj(Json.Deployment);
        var changed = StrategicMergePatch.Apply(original, Json.Obj(AddSidecar), "apps", "Deployment");

        var reverted = StrategicMergePatch.Apply(changed, Json.Obj(Revert), "apps", "Deployment");

        Json.Equal("""
            [{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":8080}],
              "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]
            """, reverted["spec"]!["template"]!["spec"]!["containers"]);
        Assert.False(Json.HasDirective(reverted));
    }

    [Fact]
    public void Apply_AnyPatch_DoesNotModifyInputs()
    {
        var original = Json.Obj(Json.Deployment);
        var patch = Json.Obj(AddSidecar);
        var originalCopy = original.DeepClone();
        var patchCopy = patch.DeepClone();

        StrategicMergePatch.Apply(original, patch, "apps", "Deployment");

        Assert.True(JsonNode.DeepEquals(originalCopy, original));
        Assert.True(JsonNode.DeepEquals(patchCopy, patch));
    }

    [Theory]
    // null deletes a key, nested too.
    [InlineData("""{"a":1,"b":{"c":2,"d":3}}""", """{"a":null,"b":{"c":null}}""", """{"b":{"d":3}}""")]
    // $patch: delete on a map deletes the map.
    [InlineData("""{"a":1,"b":{"c":2}}""", """{"b":{"$patch":"delete"}}""", """{"a":1}""")]
    // $patch: replace on a map replaces it instead of merging.
    [InlineData("""{"b":{"c":2,"d":3}}""", """{"b":{"$patch":"replace","e":4}}""", """{"b":{"e":4}}""")]
    // $patch: merge is the default behaviour.
    [InlineData("""{"b":{"c":2}}""", """{"b":{"$patch":"merge","e":4}}""", """{"b":{"c":2,"e":4}}""")]
    // Unknown lists are replaced.
    [InlineData("""{"l":[1,2,3]}""", """{"l":[4]}""", """{"l":[4]}""")]
    // New maps are created with their nulls dropped.
    [InlineData("""{}""", """{"m":{"x":1,"y":null}}""", """{"m":{"x":1}}""")]
    public void Apply_UnknownKind_MergesMapsAndReplacesLists(string original, string patch, string expected)
    {
        Json.Equal(expected, Patch(original, patch, "example.com", "Widget"));
    }

    [Fact]
    public void Apply_RetainKeysSwitchToRecreate_DropsRollingUpdate()
    {
        // What kubectl sends when a manifest switches the Deployment strategy from RollingUpdate to Recreate.
        var result = Patch(Json.Deployment,
            """{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}""");

        Json.Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]);
    }

    [Fact]
    public void Apply_RetainKeysWithoutNull_StillDropsUnlistedKeys()
    {
        var result = Patch(Json.Deployment, """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");

        Json.Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]);
    }

    [Theory]
    [InlineData("""{"metadata":{"finalizers":["b","c"]}}""", """["a","b","c"]""")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}""", """["b"]""")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["z"]}}""", """["b","z"]""")]
    [InlineData("""{"metadata":{"$setElementOrder/finalizers":["b","a"]}}""", """["b","a"]""")]
    [InlineData("""{"metadata":{"finalizers":[{"$patch":"replace"},"x"]}}""", """["x"]""")]
    public void Apply_Finalizers_MergeAsSet(string patch, string expected)
    {
        var result = Patch("""{"metadata":{"name":"p","finalizers":["a","b"]}}""", patch, "", "Pod");

        Json.Equal(expected, result["metadata"]!["finalizers"]);
    }

    [Fact]
    public void Apply_ServicePorts_MergeByPort()
    {
        var original = """
            {"spec":{"ports":[{"port":80,"targetPort":8080,"name":"http"},{"port":443,"targetPort":8443,"name":"https"}]}}
            """;

        var result = Patch(original, """{"spec":{"ports":[{"port":80,"targetPort":9090},{"port":53,"protocol":"UDP"}]}}""",
            "", "Service");

        Json.Equal("""
            [{"port":80,"targetPort":9090,"name":"http"},{"port":443,"targetPort":8443,"name":"https"},
             {"port":53,"protocol":"UDP"}]
            """, result["spec"]!["ports"]);
    }

    [Fact]
    public void Apply_EnvByName_MergesAndDeletes()
    {
        var patch = """
            {"spec":{"template":{"spec":{"containers":[{"name":"nginx",
              "env":[{"name":"B","value":"20"},{"name":"A","$patch":"delete"},{"name":"C","value":"3"}]}]}}}}
            """;

        var result = Patch(Json.Deployment, patch);

        Json.Equal("""[{"name":"B","value":"20"},{"name":"C","value":"3"}]""",
            result["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]);
    }

    [Fact]
    public void Apply_ListReplaceDirective_ReplacesKeyedList()
    {
        var result = Patch(Json.Deployment,
            """{"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"x"}]}}}}""");

        Json.Equal("""[{"name":"only","image":"x"}]""", result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Apply_ElementReplaceDirective_ReplacesOneElement()
    {
        var result = Patch(Json.Deployment,
            """{"spec":{"template":{"spec":{"containers":[{"$patch":"replace","name":"nginx","image":"y"}]}}}}""");

        Json.Equal("""[{"name":"nginx","image":"y"}]""", result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Apply_SetElementOrder_ReordersKeyedList()
    {
        var original = """{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}}""";

        var result = Patch(original, """{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"}]}}""", "", "Pod");

        Json.Equal("""[{"name":"c"},{"name":"b"},{"name":"a"}]""", result["spec"]!["containers"]);
    }

    [Fact]
    public void Apply_Tolerations_AreReplaced()
    {
        var original = """{"spec":{"tolerations":[{"key":"a","operator":"Exists"},{"key":"b","operator":"Exists"}]}}""";

        var result = Patch(original, """{"spec":{"tolerations":[{"key":"c","operator":"Exists"}]}}""", "", "Pod");

        Json.Equal("""[{"key":"c","operator":"Exists"}]""", result["spec"]!["tolerations"]);
    }

    [Theory]
    [InlineData("", "Pod", "spec")]
    [InlineData("", "ReplicationController", "spec.template.spec")]
    [InlineData("apps", "DaemonSet", "spec.template.spec")]
    [InlineData("apps", "StatefulSet", "spec.template.spec")]
    [InlineData("batch", "Job", "spec.template.spec")]
    [InlineData("batch", "CronJob", "spec.jobTemplate.spec.template.spec")]
    public void Apply_PodSpecAnywhere_MergesContainersByName(string group, string kind, string podSpecPath)
    {
        JsonObject Wrap(string podSpec)
        {
            JsonNode node = Json.Obj(podSpec);
            foreach (var step in podSpecPath.Split('.').Reverse()) node = new JsonObject { [step] = node };
            return (JsonObject)node;
        }

        var original = Wrap("""{"containers":[{"name":"a","image":"1","volumeMounts":[{"mountPath":"/x","name":"v"}]}]}""");
        var patch = Wrap("""{"containers":[{"name":"a","image":"2","volumeMounts":[{"mountPath":"/y","name":"w"}]},{"name":"b"}]}""");

        var result = StrategicMergePatch.Apply(original, patch, group, kind);

        Json.Equal("""
            {"containers":[{"name":"a","image":"2","volumeMounts":[{"mountPath":"/x","name":"v"},{"mountPath":"/y","name":"w"}]},
                           {"name":"b"}]}
            """, result.At(podSpecPath));
    }

    [Fact]
    public void Apply_ConditionsOnAnyKnownStatus_MergeByType()
    {
        var original = """{"status":{"conditions":[{"type":"Available","status":"False"},{"type":"Progressing","status":"True"}]}}""";

        var result = Patch(original, """{"status":{"conditions":[{"type":"Available","status":"True"}]}}""");

        Json.Equal("""[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"}]""",
            result["status"]!["conditions"]);
    }

    [Fact]
    public void Apply_OwnerReferences_MergeByUid()
    {
        var original = """{"metadata":{"ownerReferences":[{"uid":"1","name":"a"}]}}""";

        var result = Patch(original, """{"metadata":{"ownerReferences":[{"uid":"2","name":"b"}]}}""", "", "Pod");

        Json.Equal("""[{"uid":"1","name":"a"},{"uid":"2","name":"b"}]""", result["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public void Apply_VolumeRetainKeys_SwitchesVolumeSource()
    {
        var original = """{"spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"c"}}]}}""";

        var result = Patch(original,
            """{"spec":{"volumes":[{"$retainKeys":["hostPath","name"],"name":"data","hostPath":{"path":"/d"}}]}}""", "", "Pod");

        Json.Equal("""[{"name":"data","hostPath":{"path":"/d"}},{"name":"cfg","configMap":{"name":"c"}}]""",
            result["spec"]!["volumes"]);
    }

    [Theory]
    [InlineData("""{"spec":{"$patch":"explode"}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"image":"no-name"}]}}}}""")]
    public void Apply_InvalidPatch_ThrowsBadRequest(string patch)
    {
        var ex = Assert.Throws<ApiException>(() => Patch(Json.Deployment, patch));
        Assert.Equal(400, ex.Code);
    }

    [Theory]
    [InlineData("apps", "Deployment", new[] { "spec", "template", "spec", "containers" }, ListStrategy.Map, "name")]
    [InlineData("apps", "Deployment", new[] { "spec", "template", "spec", "containers", "ports" }, ListStrategy.Map, "containerPort")]
    [InlineData("", "Pod", new[] { "spec", "containers", "volumeMounts" }, ListStrategy.Map, "mountPath")]
    [InlineData("", "Pod", new[] { "spec", "containers", "envFrom" }, ListStrategy.Atomic, null)]
    [InlineData("", "Pod", new[] { "spec", "tolerations" }, ListStrategy.Atomic, null)]
    [InlineData("", "Pod", new[] { "spec", "hostAliases" }, ListStrategy.Map, "ip")]
    [InlineData("", "Pod", new[] { "status", "containerStatuses" }, ListStrategy.Atomic, null)]
    [InlineData("", "Service", new[] { "spec", "ports" }, ListStrategy.Map, "port")]
    [InlineData("", "Node", new[] { "status", "addresses" }, ListStrategy.Map, "type")]
    [InlineData("", "Node", new[] { "spec", "taints" }, ListStrategy.Atomic, null)]
    [InlineData("", "Endpoints", new[] { "subsets" }, ListStrategy.Atomic, null)]
    [InlineData("batch", "CronJob", new[] { "metadata", "finalizers" }, ListStrategy.Set, null)]
    [InlineData("example.com", "Widget", new[] { "metadata", "ownerReferences" }, ListStrategy.Map, "uid")]
    public void Lookup_BuiltInList_ReturnsUpstreamStrategy(string group, string kind, string[] path, ListStrategy strategy, string? key)
    {
        var field = PatchMetadata.Lookup(group, kind, path);

        Assert.Equal(strategy, field.Strategy);
        Assert.Equal(key, field.MergeKey);
    }
}
