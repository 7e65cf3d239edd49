using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Controllers.Endpoints;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.Endpoints.EndpointTestObjects;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

public sealed class LoadBalancerStatusControllerTests : IAsyncLifetime
{
    private readonly TestCluster _c = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _c.DisposeAsync();

    private LoadBalancerStatusController NewController(Orchestrator.Core.Client.IKubeClient? client = null) =>
        new(_c.Informers, client ?? _c.Client, _c.Events, _c.Time, NullLogger<LoadBalancerStatusController>.Instance);

    private Task<JsonObject> LoadBalancerAsync(string name = "web")
    {
        var svc = Service(name, new() { ["app"] = "web" }, Port("http", 80, 8080));
        svc["spec"]!["type"] = "LoadBalancer";
        return CreateServiceAsync(_c, svc);
    }

    private async Task<string> IngressAsync(string name = "web") =>
        string.Join(",", ((await _c.Client.GetAsync(Kinds.Service, Ns, name))?["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? [])
            .Select(i => i.Str("ip")));

    private Task WaitForIngressAsync(string expected, string name = "web") =>
        EventuallyAsync(_c, async () => await IngressAsync(name) == expected, $"ingress of {name} is [{expected}]");

    [Fact]
    public async Task Sync_ReadySchedulableNodes_IngressSortedAndFollowsNodes()
    {
        await CreateNodeAsync(_c, "n2", "192.168.77.12");
        await CreateNodeAsync(_c, "n1", "192.168.77.9");
        await CreateNodeAsync(_c, "down", "192.168.77.13", ready: false);
        await CreateNodeAsync(_c, "cordoned", "192.168.77.14", unschedulable: true);
        await LoadBalancerAsync();
        await CreateServiceAsync(_c, Service("plain", new() { ["app"] = "web" }, Port("http", 80, 8080)));
        _ = _c.Run(NewController());

        await WaitForIngressAsync("192.168.77.9,192.168.77.12");
        var entry = (await _c.Client.GetAsync(Kinds.Service, Ns, "web"))!["status"]!["loadBalancer"]!["ingress"]![0]!;
        Assert.Equal("VIP", entry.Str("ipMode"));
        Assert.Equal("", await IngressAsync("plain"));

        var down = (await _c.Client.GetAsync(Kinds.Node, null, "down"))!;
        await SetNodeStatusAsync(_c, down, "192.168.77.13", ready: true);
        await WaitForIngressAsync("192.168.77.9,192.168.77.12,192.168.77.13");

        await _c.Client.DeleteAsync(Kinds.Node, null, "n2");
        await WaitForIngressAsync("192.168.77.9,192.168.77.13");
    }

    [Fact]
    public async Task Sync_TypeChangesAway_IngressCleared()
    {
        await CreateNodeAsync(_c, "n1", "192.168.77.9");
        await LoadBalancerAsync();
        _ = _c.Run(NewController());
        await WaitForIngressAsync("192.168.77.9");

        var svc = (await _c.Client.GetAsync(Kinds.Service, Ns, "web"))!;
        svc["spec"]!["type"] = "ClusterIP";
        foreach (var p in svc["spec"]!["ports"]!.AsArray()) p!.AsObject().Remove("nodePort");
        svc["spec"]!.AsObject().Remove("allocateLoadBalancerNodePorts");
        svc["spec"]!.AsObject().Remove("externalTrafficPolicy");
        await _c.Client.UpdateAsync(Kinds.Service, svc);
        await WaitForIngressAsync("");
    }

    [Fact]
    public async Task Sync_AllowListAndExternalIp_K3sRules()
    {
        await CreateNodeAsync(_c, "n1", "192.168.77.9", labels: new() { ["svccontroller.k3s.cattle.io/enablelb"] = "true" });
        await CreateNodeAsync(_c, "n2", "192.168.77.10", externalIp: "203.0.113.7", labels: new() { ["svccontroller.k3s.cattle.io/enablelb"] = "true" });
        await CreateNodeAsync(_c, "n3", "192.168.77.11");
        await CreateNodeAsync(_c, "n4", "192.168.77.12", labels: new() { ["svccontroller.k3s.cattle.io/enablelb"] = "false" });
        await LoadBalancerAsync();
        _ = _c.Run(NewController());
        await WaitForIngressAsync("192.168.77.9,203.0.113.7");
    }

    [Fact]
    public async Task Sync_NoServingNode_EmptyThenFilledWhenNodeArrives()
    {
        await LoadBalancerAsync();
        _ = _c.Run(NewController());
        await Task.Delay(200);
        Assert.Equal("", await IngressAsync());
        await CreateNodeAsync(_c, "n1", "192.168.77.9");
        await WaitForIngressAsync("192.168.77.9");
    }

    [Fact]
    public async Task Sync_Restart_NoRewrite()
    {
        await CreateNodeAsync(_c, "n1", "192.168.77.9");
        await LoadBalancerAsync();
        _c.Informers.Start(_c.Token);
        using var term = new CancellationTokenSource();
        var first = NewController();
        _ = Task.Run(() => first.RunAsync(term.Token));
        await WaitForIngressAsync("192.168.77.9");
        var rv = (await _c.Client.GetAsync(Kinds.Service, Ns, "web"))!.ResourceVersion();
        await term.CancelAsync();
        first.Dispose();

        _ = _c.Run(NewController());
        await Task.Delay(300);
        Assert.Equal(rv, (await _c.Client.GetAsync(Kinds.Service, Ns, "web"))!.ResourceVersion());
    }

    [Fact]
    public async Task Sync_StatusWriteConflicts_Retried()
    {
        await CreateNodeAsync(_c, "n1", "192.168.77.9");
        await LoadBalancerAsync();
        var client = new ConflictingClient(_c.Client, Kinds.Service, failures: 2);
        _ = _c.Run(NewController(client));
        await WaitForIngressAsync("192.168.77.9");
        Assert.Equal(2, client.Conflicts);
    }
}
