using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Endpoints;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.Endpoints.EndpointTestObjects;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

public sealed class EndpointSliceControllerTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> App = new() { ["app"] = "web" };

    private readonly TestCluster _c = new();

    public async Task InitializeAsync() => await CreateNodeAsync(_c, "node-1", labels: new() { ["topology.kubernetes.io/zone"] = "attic" });

    public async Task DisposeAsync() => await _c.DisposeAsync();

    private EndpointSliceController NewController(IKubeClient? client = null) =>
        new(_c.Informers, client ?? _c.Client, _c.Time, NullLogger<EndpointSliceController>.Instance);

    private Task<JsonObject> WebServiceAsync(Action<JsonObject>? edit = null)
    {
        var svc = Service("web", App, Port("http", 80, "port-http"));
        svc.Metadata()["labels"] = new JsonObject { ["tier"] = "front" };
        edit?.Invoke(svc);
        return CreateServiceAsync(_c, svc);
    }

    private static IEnumerable<JsonObject> AllEndpoints(IEnumerable<JsonObject> slices) => slices.SelectMany(EndpointSlices.EndpointsOf);

    private Task WaitForSlicesAsync(Func<IReadOnlyList<JsonObject>, bool> condition, string because, int timeoutMs = 10_000) =>
        EventuallyAsync(_c, async () => condition(await SlicesAsync(_c, "web")), because, timeoutMs);

    [Fact]
    public async Task Sync_250Pods_ThreeSlicesOfAtMost100()
    {
        var svc = await WebServiceAsync();
        for (var i = 0; i < 250; i++) await CreatePodAsync(_c, $"web-{i}", App, ip: $"10.244.{i / 200}.{i % 200 + 1}");
        _ = _c.Run(NewController());

        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 250, "250 endpoints", 30_000);
        var slices = await SlicesAsync(_c, "web");
        Assert.Equal([50, 100, 100], slices.Select(s => EndpointSlices.EndpointsOf(s).Count).Order());
        foreach (var slice in slices)
        {
            Assert.StartsWith("web-", slice.Name());
            Assert.Equal("web".Length + 1 + 5, slice.Name()!.Length);
            Assert.Equal("IPv4", slice.Str("addressType"));
            Assert.Equal("front", slice.Labels()["tier"]);
            var owner = Assert.Single(slice["metadata"]!["ownerReferences"]!.AsArray())!;
            Assert.Equal(svc.Uid(), owner.Str("uid"));
            Assert.Equal("Service", owner.Str("kind"));
            Assert.True(owner.Bool("controller"));
            var port = Assert.Single(slice["ports"]!.AsArray())!;
            Assert.Equal(("http", 8080L, "TCP"), (port.Str("name"), port.Long("port")!.Value, port.Str("protocol")));
        }
        Assert.Equal(250, AllEndpoints(slices).Select(e => e["targetRef"].Str("name")).Distinct().Count());
    }

    [Fact]
    public async Task Sync_Conditions_FollowReadinessAndTermination()
    {
        await WebServiceAsync();
        await CreatePodAsync(_c, "ready", App, ip: "10.244.0.1");
        await CreatePodAsync(_c, "unready", App, ip: "10.244.0.2", ready: false);
        await CreatePodAsync(_c, "leaving", App, ip: "10.244.0.3");
        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "leaving");
        await CreatePodAsync(_c, "failed", App, ip: "10.244.0.4", ready: false, phase: "Failed");
        await CreatePodAsync(_c, "sub", App, ip: "10.244.0.5", hostname: "sub", subdomain: "web");
        _ = _c.Run(NewController());

        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 4, "four endpoints");
        var byPod = AllEndpoints(await SlicesAsync(_c, "web")).ToDictionary(e => e["targetRef"].Str("name")!);
        string Conditions(string pod) => string.Join(",", new[] { "ready", "serving", "terminating" }.Select(c => byPod[pod]["conditions"].Bool(c)));
        Assert.Equal("True,True,False", Conditions("ready"));
        Assert.Equal("False,False,False", Conditions("unready"));
        Assert.Equal("False,True,True", Conditions("leaving"));
        Assert.False(byPod.ContainsKey("failed"));
        Assert.Equal("sub", byPod["sub"].Str("hostname"));
        Assert.Null(byPod["ready"].Str("hostname"));
        Assert.Equal("node-1", byPod["ready"].Str("nodeName"));
        Assert.Equal("attic", byPod["ready"].Str("zone"));
        Assert.Equal(["10.244.0.1"], byPod["ready"]["addresses"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("Pod", byPod["ready"]["targetRef"].Str("kind"));
    }

    [Fact]
    public async Task Sync_PublishNotReadyAddresses_ReadyEvenWhenTerminating()
    {
        await WebServiceAsync(svc => svc["spec"]!["publishNotReadyAddresses"] = true);
        await CreatePodAsync(_c, "unready", App, ip: "10.244.0.2", ready: false);
        await CreatePodAsync(_c, "leaving", App, ip: "10.244.0.3");
        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "leaving");
        _ = _c.Run(NewController());

        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 2, "two endpoints");
        Assert.All(AllEndpoints(await SlicesAsync(_c, "web")), e => Assert.True(e["conditions"].Bool("ready")));
    }

    [Fact]
    public async Task Sync_NamedPortResolvesDifferently_SeparateSlices()
    {
        await WebServiceAsync();
        await CreatePodAsync(_c, "a", App, new() { ["port-http"] = 8080 }, "10.244.0.1");
        await CreatePodAsync(_c, "b", App, new() { ["port-http"] = 9090 }, "10.244.0.2");
        _ = _c.Run(NewController());

        await WaitForSlicesAsync(s => s.Count == 2 && AllEndpoints(s).Count() == 2, "two slices");
        var slices = await SlicesAsync(_c, "web");
        Assert.Equal([8080L, 9090L], slices.Select(s => s["ports"]![0].Long("port")!.Value).Order());
        Assert.All(slices, s => Assert.Single(EndpointSlices.EndpointsOf(s)));
    }

    [Fact]
    public async Task Sync_PodsComeAndGo_SliceUpdatedInPlaceThenPlaceholder()
    {
        await WebServiceAsync();
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        await CreatePodAsync(_c, "b", App, ip: "10.244.0.2");
        _ = _c.Run(NewController());
        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 2, "two endpoints");
        var name = Assert.Single(await SlicesAsync(_c, "web")).Name();

        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "a", new DeleteRequest(GracePeriodSeconds: 0));
        await CreatePodAsync(_c, "c", App, ip: "10.244.0.3");
        await WaitForSlicesAsync(s => AllEndpoints(s).Select(e => e["targetRef"].Str("name")).Order().SequenceEqual(["b", "c"]), "a replaced by c");
        Assert.Equal(name, Assert.Single(await SlicesAsync(_c, "web")).Name());

        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "b", new DeleteRequest(GracePeriodSeconds: 0));
        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "c", new DeleteRequest(GracePeriodSeconds: 0));
        await WaitForSlicesAsync(s => s.Count == 1 && !AllEndpoints(s).Any(), "one empty placeholder");
        Assert.Null((await SlicesAsync(_c, "web"))[0]["ports"]);
    }

    [Fact]
    public async Task Sync_PodOnUnknownNode_LeftOutUntilNodeAppears()
    {
        await WebServiceAsync();
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        await CreatePodAsync(_c, "far", App, ip: "10.244.1.1", node: "node-2");
        _ = _c.Run(NewController());
        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 1, "only the pod on a known node");

        await CreateNodeAsync(_c, "node-2", "192.168.77.11");
        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 2, "node-2 known now");
    }

    [Fact]
    public async Task Sync_ServiceDeletedOrSelectorRemoved_SlicesDeleted()
    {
        await WebServiceAsync();
        await CreateServiceAsync(_c, Service("other", App, Port("http", 80, 8080)));
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        _ = _c.Run(NewController());
        await WaitForSlicesAsync(s => s.Count == 1, "web slice");
        await EventuallyAsync(_c, async () => (await SlicesAsync(_c, "other")).Count == 1, "other slice");

        await _c.Client.DeleteAsync(Kinds.Service, Ns, "web");
        await WaitForSlicesAsync(s => s.Count == 0, "web slices gone");

        var other = (await _c.Client.GetAsync(Kinds.Service, Ns, "other"))!;
        other["spec"]!.AsObject().Remove("selector");
        await _c.Client.UpdateAsync(Kinds.Service, other);
        await EventuallyAsync(_c, async () => (await SlicesAsync(_c, "other")).Count == 0, "other slices gone");
    }

    [Fact]
    public async Task Restart_NoChurn_AndConvergesAfterChangesWhileDown()
    {
        await WebServiceAsync();
        for (var i = 0; i < 120; i++) await CreatePodAsync(_c, $"web-{i}", App, ip: $"10.244.0.{i + 1}");
        _c.Informers.Start(_c.Token);
        using var term = new CancellationTokenSource();
        var first = NewController();
        _ = Task.Run(() => first.RunAsync(term.Token));
        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 120, "120 endpoints");
        var before = (await SlicesAsync(_c, "web")).ToDictionary(s => s.Name()!, s => s.ResourceVersion());
        await term.CancelAsync();
        first.Dispose();

        using var second = new CancellationTokenSource();
        var restarted = NewController();
        _ = Task.Run(() => restarted.RunAsync(second.Token));
        await Task.Delay(500);
        Assert.Equal(before, (await SlicesAsync(_c, "web")).ToDictionary(s => s.Name()!, s => s.ResourceVersion()));
        await second.CancelAsync();
        restarted.Dispose();

        // Changes while no controller runs, then a third instance.
        await _c.Client.DeleteAsync(Kinds.Pod, Ns, "web-0", new DeleteRequest(GracePeriodSeconds: 0));
        await SetStatusAsync(_c, "web-1", "10.244.0.2", ready: false);
        _ = _c.Run(NewController());
        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 119 &&
                                      AllEndpoints(s).Single(e => e["targetRef"].Str("name") == "web-1")["conditions"].Bool("ready") == false, "converged");
        Assert.Equal(2, (await SlicesAsync(_c, "web")).Count);
    }

    [Fact]
    public async Task Sync_WriteConflicts_RetriedWithoutDuplicates()
    {
        await WebServiceAsync();
        await CreatePodAsync(_c, "a", App, ip: "10.244.0.1");
        var client = new ConflictingClient(_c.Client, Kinds.EndpointSlice, failures: 2);
        _ = _c.Run(NewController(client));

        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 1, "written after conflicts");
        await SetStatusAsync(_c, "a", "10.244.0.1", ready: false);
        await WaitForSlicesAsync(s => AllEndpoints(s).Single()["conditions"].Bool("ready") == false, "updated");
        Assert.Single(await SlicesAsync(_c, "web"));
        Assert.Equal(2, client.Conflicts);
    }

    [Fact]
    public async Task Sync_PodsArriveWhileRunning_NoDuplicateSlicesOrEndpoints()
    {
        await WebServiceAsync();
        _ = _c.Run(NewController());
        await WaitForSlicesAsync(s => s.Count == 1, "placeholder");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; i < 150; i += 4) await CreatePodAsync(_c, $"web-{i}", App, ip: $"10.244.0.{i + 1}");
        })));

        await WaitForSlicesAsync(s => AllEndpoints(s).Count() == 150, "150 endpoints", 30_000);
        await Task.Delay(300);
        var slices = await SlicesAsync(_c, "web");
        Assert.Equal(150, AllEndpoints(slices).Select(e => e["targetRef"].Str("name")).Distinct().Count());
        Assert.All(slices, s => Assert.True(EndpointSlices.EndpointsOf(s).Count <= 100));
        Assert.InRange(slices.Count, 2, 3); // filled, not rebalanced
    }
}
