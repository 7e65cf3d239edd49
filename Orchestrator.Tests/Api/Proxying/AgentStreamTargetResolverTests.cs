using System.Text.Json.Nodes;
using Orchestrator.Api.Proxying;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Api.Proxying;

public sealed class AgentStreamTargetResolverTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new();
    private AgentStreamTargetResolver Resolver => new(_cluster.Registry);

    public async Task InitializeAsync()
    {
        await NodeAsync("n1", "192.168.7.3", 10250);
        await NodeAsync("no-port", "192.168.7.4", null);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task TheOnlyContainer_IsTheDefault_AndTheNodeEndpointIsReported()
    {
        var uid = await PodAsync("one", "n1", ["app"]);
        var target = Resolve("one", "exec", null);
        Assert.Equal(new AgentStreamTarget("n1", "192.168.7.3", 10250, "default", "one", uid, "app"), target);
        Assert.Equal("https://192.168.7.3:10250/x?y=1", target.Url("/x?y=1").ToString());
    }

    [Fact]
    public async Task SeveralContainers_NeedANameOrTheDefaultContainerAnnotation()
    {
        await PodAsync("two", "n1", ["app", "side"], init: ["setup"]);
        var error = Assert.Throws<ApiException>(() => Resolve("two", "log", null));
        Assert.Equal(400, error.Code);
        Assert.Equal("a container name must be specified for pod two, choose one of: [app side] or one of the init containers: [setup]", error.Message);
        Assert.Equal("side", Resolve("two", "log", "side").Container);
        Assert.Equal("setup", Resolve("two", "log", "setup").Container);
        var unknown = Assert.Throws<ApiException>(() => Resolve("two", "log", "nope"));
        Assert.Equal((400, "container nope is not valid for pod two"), (unknown.Code, unknown.Message));

        await PodAsync("annotated", "n1", ["app", "side"], annotations: new JsonObject { [AgentStreamTargetResolver.DefaultContainerAnnotation] = "side" });
        Assert.Equal("side", Resolve("annotated", "attach", null).Container);
    }

    [Fact]
    public async Task PortForward_NeedsNoContainer()
    {
        await PodAsync("multi", "n1", ["a", "b"]);
        Assert.Null(Resolve("multi", "portforward", null).Container);
    }

    [Fact]
    public async Task UnscheduledPods_UnknownNodes_AndNodesWithoutAPort_GetClearErrors()
    {
        await PodAsync("pending", null, ["app"]);
        Assert.Equal((400, "pod pending does not have a host assigned"), Code(() => Resolve("pending", "log", null)));

        await PodAsync("ghost", "ghost-node", ["app"]);
        var (code, message) = Code(() => Resolve("ghost", "log", null));
        Assert.Equal(404, code);
        Assert.StartsWith("nodes \"ghost-node\" not found", message);

        await PodAsync("portless", "no-port", ["app"]);
        (code, message) = Code(() => Resolve("portless", "exec", null));
        Assert.Equal(503, code);
        Assert.Contains("reports no agent streaming port", message);
    }

    private AgentStreamTarget Resolve(string pod, string sub, string? container) =>
        Resolver.Resolve(ApiPath.Parse(ResourceCatalog.Default, "", "v1", ["namespaces", "default", "pods", pod, sub]), container,
            needsContainer: sub != "portforward");

    private static (int, string) Code(Action action)
    {
        var e = Assert.Throws<ApiException>(action);
        return (e.Code, e.Message);
    }

    private async Task NodeAsync(string name, string ip, int? port)
    {
        var node = await _cluster.Client.CreateAsync(Kinds.Node, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        var status = new JsonObject { ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = ip }) };
        if (port is { } p) status["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = p } };
        node["status"] = status;
        await _cluster.Client.UpdateStatusAsync(Kinds.Node, node);
    }

    private async Task<string> PodAsync(string name, string? node, string[] containers, string[]? init = null, JsonObject? annotations = null)
    {
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox" }).ToArray()),
        };
        if (init != null) spec["initContainers"] = new JsonArray(init.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox" }).ToArray());
        if (node != null) spec["nodeName"] = node;
        var metadata = new JsonObject { ["name"] = name };
        if (annotations != null) metadata["annotations"] = annotations;
        var pod = await _cluster.Client.CreateAsync(Kinds.Pod, "default", new JsonObject { ["metadata"] = metadata, ["spec"] = spec });
        return pod["metadata"]!["uid"]!.GetValue<string>();
    }
}
