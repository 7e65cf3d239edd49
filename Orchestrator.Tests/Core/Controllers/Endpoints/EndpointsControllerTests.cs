using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Endpoints;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.Endpoints.EndpointTestObjects;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

public sealed class EndpointsControllerTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> App = new() { ["app"] = "myapp-rs-nport" };

    private readonly TestCluster _c = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _c.DisposeAsync();

    private EndpointsController NewController(IKubeClient? client = null) =>
        new(_c.Informers, client ?? _c.Client, _c.Events, _c.Time, NullLogger<EndpointsController>.Instance);

    /// <summary>Seed 000 §8: targetPort names the container port "port-http" (8080).</summary>
    private Task<JsonObject> SeedServiceAsync(Action<JsonObject>? edit = null)
    {
        var svc = Service("myapp-svc-nport", App, Port("port-http", 80, "port-http"));
        svc.Metadata()["labels"] = new JsonObject { ["tier"] = "web" };
        edit?.Invoke(svc);
        return CreateServiceAsync(_c, svc);
    }

    private Task WaitForAsync(string name, Func<JsonObject, bool> condition, string because, int timeoutMs = 10_000) =>
        EventuallyAsync(_c, async () => await EndpointsAsync(_c, name) is { } ep && condition(ep), because, timeoutMs);

    [Fact]
    public async Task Sync_ThreeReadyPodsWithNamedPort_ThreeAddressesOnResolvedPort()
    {
        await SeedServiceAsync();
        var pods = new List<JsonObject>();
        for (var i = 1; i <= 3; i++) pods.Add(await CreatePodAsync(_c, $"myapp-{i}", App, ip: $"10.244.0.{i}"));
        _ = _c.Run(NewController());

        await WaitForAsync("myapp-svc-nport", ep => Ips(ep["subsets"], "addresses").Count() == 3, "three addresses");
        var ep = (await EndpointsAsync(_c, "myapp-svc-nport"))!;
        var subset = Assert.Single(ep["subsets"]!.AsArray())!.AsObject();
        Assert.Equal(["10.244.0.1", "10.244.0.2", "10.244.0.3"], Ips(ep["subsets"], "addresses"));
        Assert.Null(subset["notReadyAddresses"]);
        var port = Assert.Single(subset["ports"]!.AsArray())!;
        Assert.Equal("port-http", port.Str("name"));
        Assert.Equal(8080, port.Long("port"));
        Assert.Equal("TCP", port.Str("protocol"));
        var first = subset["addresses"]![0]!;
        Assert.Equal("node-1", first.Str("nodeName"));
        Assert.Null(first.Str("hostname"));
        Assert.Equal("Pod", first["targetRef"].Str("kind"));
        Assert.Equal("myapp-1", first["targetRef"].Str("name"));
        Assert.Equal(Ns, first["targetRef"].Str("namespace"));
        Assert.Equal(pods[0].Uid(), first["targetRef"].Str("uid"));
        Assert.Equal("web", ep.Labels()["tier"]);
        Assert.False(ep.Labels().ContainsKey("service.kubernetes.io/headless"));
        Assert.True(ep.Annotations().ContainsKey("endpoints.kubernetes.io/last-change-trigger-time"));
    }

    [Fact]
    public async Task Sync_SameNameDifferentNumbers_TwoSubsets()
    {
        await SeedServiceAsync();
        await CreatePodAsync(_c, "a", App, new() { ["port-http"] = 8080 }, "10.244.0.1");
        await CreatePodAsync(_c, "b", App, new() { ["port-http"] = 8080 }, "10.244.0.2");
        await CreatePodAsync(_c, "c", App, new() { ["port-http"] = 9090 }, "10.244.0.3");
        // A pod without the named port offers nothing for it and is left out.
        await CreatePodAsync(_c, "d", App, new() { ["other"] = 7070 }, "10.244.0.4");
        _ = _c.Run(NewController());

        await WaitForAsync("myapp-svc-nport", ep => ep["subsets"] is JsonArray { Count: 2 }, "two subsets");
        var subsets = (await EndpointsAsync(_c, "myapp-svc-nport"))!["subsets"]!.AsArray();
        var byPort = subsets.ToDictionary(s => s!["ports"]![0].Long("port")!.Value, s => Ips(new JsonArray(s!.DeepClone()), "addresses").ToList());
        Assert.Equal(["10.244.0.1", "10.244.0.2"], byPort[8080]);
        Assert.Equal(["10.244.0.3"], byPort[9090]);
    }

    [Fact]
    public async Task Sync_UnreadyRunningPod_NotReadyUntilReady()
    {
        await SeedServiceAsync();
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        await CreatePodAsync(_c, "b", App, ip: "10.244.0.2", ready: false);
        await CreatePodAsync(_c, "pending", App); // no IP yet: not an endpoint at all
        _ = _c.Run(NewController());

        await WaitForAsync("myapp-svc-nport", ep => Ips(ep["subsets"], "notReadyAddresses").SequenceEqual(["10.244.0.2"]), "b not ready");
        Assert.Equal(["10.244.0.1"], Ips((await EndpointsAsync(_c, "myapp-svc-nport"))!["subsets"], "addresses"));

        await SetStatusAsync(_c, "b", "10.244.0.2", ready: true);
        await WaitForAsync("myapp-svc-nport", ep => Ips(ep["subsets"], "addresses").Count() == 2 && !Ips(ep["subsets"], "notReadyAddresses").Any(), "b ready");
    }

    [Fact]
    public async Task Sync_PublishNotReadyAddresses_EverythingInAddressesIncludingTerminating()
    {
        await SeedServiceAsync(svc => svc["spec"]!["publishNotReadyAddresses"] = true);
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1", ready: false);
        await CreatePodAsync(_c, "b", App, ip: "10.244.0.2");
        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "b"); // bound to a node: only marked terminating
        Assert.NotNull((await _c.Client.GetAsync(Kinds.Pod, Ns, "b"))?["metadata"]?["deletionTimestamp"]);
        _ = _c.Run(NewController());

        await WaitForAsync("myapp-svc-nport", ep => Ips(ep["subsets"], "addresses").Count() == 2, "both published");
        Assert.Empty(Ips((await EndpointsAsync(_c, "myapp-svc-nport"))!["subsets"], "notReadyAddresses"));
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("Succeeded")]
    [InlineData("Terminating")]
    public async Task Sync_FinishedOrTerminatingPod_Excluded(string state)
    {
        await SeedServiceAsync();
        await CreatePodAsync(_c, "keep", App, ip: "10.244.0.1");
        if (state == "Terminating")
        {
            await CreatePodAsync(_c, "gone", App, ip: "10.244.0.2");
            await _c.Client.DeleteAsync(Kinds.Pod, Ns, "gone");
        }
        else
        {
            await CreatePodAsync(_c, "gone", App, ip: "10.244.0.2", ready: false, phase: state);
        }
        _ = _c.Run(NewController());

        await WaitForAsync("myapp-svc-nport", ep => Ips(ep["subsets"], "addresses").Any(), "the kept pod");
        var ep = (await EndpointsAsync(_c, "myapp-svc-nport"))!;
        Assert.Equal(["10.244.0.1"], Ips(ep["subsets"], "addresses"));
        Assert.Empty(Ips(ep["subsets"], "notReadyAddresses"));
    }

    [Fact]
    public async Task Sync_HeadlessWithSubdomain_HostnameAndHeadlessLabel()
    {
        var svc = Service("web", new() { ["app"] = "web" }, Port("http", 80, 8080));
        svc["spec"]!["clusterIP"] = "None";
        await CreateServiceAsync(_c, svc);
        await CreatePodAsync(_c, "web-0", new() { ["app"] = "web" }, ip: "10.244.0.1", hostname: "web-0", subdomain: "web");
        await CreatePodAsync(_c, "other", new() { ["app"] = "web" }, ip: "10.244.0.2", hostname: "other", subdomain: "elsewhere");
        _ = _c.Run(NewController());

        await WaitForAsync("web", ep => Ips(ep["subsets"], "addresses").Count() == 2, "two addresses");
        var ep = (await EndpointsAsync(_c, "web"))!;
        var addresses = ep["subsets"]![0]!["addresses"]!.AsArray();
        Assert.Equal("web-0", addresses[0].Str("hostname"));
        Assert.Null(addresses[1].Str("hostname"));
        Assert.Equal("", ep.Labels()["service.kubernetes.io/headless"]);
        Assert.Equal(8080, ep["subsets"]![0]!["ports"]![0].Long("port"));
    }

    [Fact]
    public async Task Sync_SelectorlessService_UserEndpointsUntouched()
    {
        await CreateServiceAsync(_c, Service("external-db", null, Port("pg", 5432, 5432)));
        var mine = await _c.Client.CreateAsync(Kinds.Endpoints, Ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Endpoints",
            ["metadata"] = new JsonObject { ["name"] = "external-db", ["namespace"] = Ns },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = "192.168.77.50" }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "pg", ["port"] = 5432, ["protocol"] = "TCP" }),
            }),
        });
        var ext = Service("alias", new() { ["app"] = "x" });
        ext["spec"] = new JsonObject { ["type"] = "ExternalName", ["externalName"] = "example.org", ["selector"] = new JsonObject { ["app"] = "x" } };
        await CreateServiceAsync(_c, ext);
        await CreatePodAsync(_c, "x", new() { ["app"] = "x" }, ip: "10.244.0.9");
        await SeedServiceAsync();
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        _ = _c.Run(NewController());

        // Once the selector service is served, the others have been looked at too.
        await WaitForAsync("myapp-svc-nport", ep => Ips(ep["subsets"], "addresses").Any(), "the selector service");
        await Task.Delay(200);
        Assert.Equal(mine.ResourceVersion(), (await EndpointsAsync(_c, "external-db"))!.ResourceVersion());
        Assert.Null(await EndpointsAsync(_c, "alias"));
    }

    [Fact]
    public async Task Sync_NothingChanged_NoWrite()
    {
        await SeedServiceAsync();
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        await CreatePodAsync(_c, "b", App, ip: "10.244.0.2", ready: false);
        using var first = new CancellationTokenSource();
        var controller = NewController();
        _c.Informers.Start(_c.Token);
        var run = Task.Run(() => controller.RunAsync(first.Token));
        await WaitForAsync("myapp-svc-nport", ep => Ips(ep["subsets"], "notReadyAddresses").Any(), "converged");
        var rv = (await EndpointsAsync(_c, "myapp-svc-nport"))!.ResourceVersion();

        // Changes that do not matter to the Endpoints: a pod annotation, a service annotation.
        var pod = (await _c.Client.GetAsync(Kinds.Pod, Ns, "a"))!;
        pod.Metadata()["annotations"] = new JsonObject { ["note"] = "x" };
        await _c.Client.UpdateAsync(Kinds.Pod, pod);
        var svc = (await _c.Client.GetAsync(Kinds.Service, Ns, "myapp-svc-nport"))!;
        svc.Metadata()["annotations"] = new JsonObject { ["note"] = "y" };
        await _c.Client.UpdateAsync(Kinds.Service, svc);
        await Task.Delay(300);
        Assert.Equal(rv, (await EndpointsAsync(_c, "myapp-svc-nport"))!.ResourceVersion());

        // A new controller instance syncs every service once from scratch: still no write.
        await first.CancelAsync();
        controller.Dispose();
        _ = _c.Run(NewController());
        await Task.Delay(500);
        Assert.Equal(rv, (await EndpointsAsync(_c, "myapp-svc-nport"))!.ResourceVersion());
    }

    [Fact]
    public async Task Sync_OverCapacity_TruncatedAndAnnotatedThenCleared()
    {
        await SeedServiceAsync();
        for (var i = 0; i < 1000; i++)
            await CreatePodAsync(_c, $"p{i}", App, ip: $"10.244.{i / 250}.{i % 250 + 1}");
        await CreatePodAsync(_c, "unready", App, ip: "10.245.0.1", ready: false);
        _ = _c.Run(NewController());

        await WaitForAsync("myapp-svc-nport", ep => ep.Annotations().ContainsKey("endpoints.kubernetes.io/over-capacity"), "truncated", 60_000);
        var ep = (await EndpointsAsync(_c, "myapp-svc-nport"))!;
        Assert.Equal("truncated", ep.Annotations()["endpoints.kubernetes.io/over-capacity"]);
        Assert.Equal(1000, Ips(ep["subsets"], "addresses").Count());
        Assert.Empty(Ips(ep["subsets"], "notReadyAddresses")); // ready addresses are kept first

        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "p0");
        await WaitForAsync("myapp-svc-nport", ep => !ep.Annotations().ContainsKey("endpoints.kubernetes.io/over-capacity") &&
                                                    Ips(ep["subsets"], "notReadyAddresses").Count() == 1, "back under capacity");
    }

    [Fact]
    public async Task Sync_ServiceDeleted_EndpointsDeleted()
    {
        await SeedServiceAsync();
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        _ = _c.Run(NewController());
        await WaitForAsync("myapp-svc-nport", _ => true, "created");

        await _c.Client.DeleteAsync(Kinds.Service, Ns, "myapp-svc-nport");
        await EventuallyAsync(_c, async () => await EndpointsAsync(_c, "myapp-svc-nport") == null, "endpoints deleted");
    }

    [Fact]
    public async Task Start_LeftoverEndpointsWithoutService_Deleted()
    {
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "orphan", ["namespace"] = Ns },
        });
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "old-lock", ["namespace"] = Ns,
                ["annotations"] = new JsonObject { ["control-plane.alpha.kubernetes.io/leader"] = "{}" },
            },
        });
        await CreateServiceAsync(_c, Service("kept", null, Port("p", 80, 80)));
        await _c.Client.CreateAsync(Kinds.Endpoints, Ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "kept", ["namespace"] = Ns } });
        _ = _c.Run(NewController());

        await EventuallyAsync(_c, async () => await EndpointsAsync(_c, "orphan") == null, "leftover deleted");
        Assert.NotNull(await EndpointsAsync(_c, "old-lock")); // a leader-election record, never ours
        Assert.NotNull(await EndpointsAsync(_c, "kept")); // its selectorless service exists
    }

    [Fact]
    public async Task Sync_WriteConflicts_Retried()
    {
        await SeedServiceAsync();
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        var client = new ConflictingClient(_c.Client, Kinds.Endpoints, failures: 3);
        _ = _c.Run(NewController(client));

        await WaitForAsync("myapp-svc-nport", ep => Ips(ep["subsets"], "addresses").Any(), "written after conflicts");
        Assert.Equal(3, client.Conflicts);
    }

    [Fact]
    public async Task Restart_MidWay_NewInstanceConverges()
    {
        await SeedServiceAsync();
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        await CreatePodAsync(_c, "b", App, ip: "10.244.0.2");
        _c.Informers.Start(_c.Token);
        using var term = new CancellationTokenSource();
        var first = NewController();
        var run = Task.Run(() => first.RunAsync(term.Token));
        await WaitForAsync("myapp-svc-nport", ep => Ips(ep["subsets"], "addresses").Count() == 2, "first instance");
        await term.CancelAsync();
        first.Dispose();

        // While nobody runs: a pod goes, one comes, one turns unready.
        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "a");
        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "a", new DeleteRequest(GracePeriodSeconds: 0));
        await CreatePodAsync(_c, "c", App, ip: "10.244.0.3");
        await SetStatusAsync(_c, "b", "10.244.0.2", ready: false);

        _ = _c.Run(NewController());
        await WaitForAsync("myapp-svc-nport", ep =>
            Ips(ep["subsets"], "addresses").SequenceEqual(["10.244.0.3"]) &&
            Ips(ep["subsets"], "notReadyAddresses").SequenceEqual(["10.244.0.2"]), "second instance converged");
    }
}
