using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Endpoints;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

public sealed class EndpointSlicePlannerTests
{
    private static readonly JsonObject Svc = new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default", ["uid"] = "svc-uid" },
        ["spec"] = new JsonObject { ["clusterIP"] = "10.96.0.20", ["selector"] = new JsonObject { ["app"] = "web" } },
    };

    private static readonly JsonObject OwnerRef = new() { ["apiVersion"] = "v1", ["kind"] = "Service", ["name"] = "web", ["uid"] = "svc-uid", ["controller"] = true };

    private static readonly Dictionary<string, string> Labels = EndpointSliceController.DesiredLabels(Svc);

    private static readonly JsonArray HttpPorts = [new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }];

    private static JsonObject Endpoint(int i, bool ready = true) => new()
    {
        ["addresses"] = new JsonArray($"10.244.{i / 200}.{i % 200 + 1}"),
        ["conditions"] = new JsonObject { ["ready"] = ready, ["serving"] = ready, ["terminating"] = false },
        ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = "default", ["name"] = $"web-{i}", ["uid"] = $"uid-{i}" },
        ["nodeName"] = "node-1",
    };

    private static Dictionary<string, SliceEndpointGroup> Desired(IEnumerable<int> ids, JsonArray? ports = null, Func<int, JsonObject>? make = null)
    {
        var group = new SliceEndpointGroup((JsonArray)(ports ?? HttpPorts).DeepClone());
        foreach (var i in ids) group.Add((make ?? (n => Endpoint(n)))(i));
        return new() { [EndpointSlices.PortsKey(group.Ports)] = group };
    }

    private static JsonObject Slice(string name, IEnumerable<int> ids, string ownerUid = "svc-uid", JsonArray? ports = null)
    {
        var slice = EndpointSlices.New("default", "web", new JsonObject { ["uid"] = ownerUid, ["controller"] = true }, Labels, null, "IPv4", (JsonArray)(ports ?? HttpPorts).DeepClone());
        var meta = slice.Metadata();
        meta.Remove("generateName");
        meta["name"] = name;
        meta["resourceVersion"] = "1";
        EndpointSlices.SetEndpoints(slice, ids.Select(i => Endpoint(i)));
        return slice;
    }

    private static SliceChanges Plan(IReadOnlyList<JsonObject> existing, Dictionary<string, SliceEndpointGroup> desired) =>
        new EndpointSlicePlanner().Plan(Svc, OwnerRef, Labels, "IPv4", existing, desired);

    private static int Count(JsonObject slice) => EndpointSlices.EndpointsOf(slice).Count;

    [Fact]
    public void Plan_250EndpointsNoSlices_ThreeSlicesOfAtMost100()
    {
        var changes = Plan([], Desired(Enumerable.Range(0, 250)));
        Assert.Equal([100, 100, 50], changes.ToCreate.Select(Count));
        Assert.Empty(changes.ToUpdate);
        Assert.Empty(changes.ToDelete);
        var first = changes.ToCreate[0];
        Assert.Equal("web-", first["metadata"].Str("generateName"));
        Assert.Equal("IPv4", first.Str("addressType"));
        Assert.Equal("svc-uid", first["metadata"]!["ownerReferences"]![0].Str("uid"));
        Assert.Equal("web", first.Labels()["kubernetes.io/service-name"]);
        Assert.Equal("endpointslice-controller.k8s.io", first.Labels()["endpointslice.kubernetes.io/managed-by"]);
    }

    [Fact]
    public void Plan_InSync_NoChanges()
    {
        var existing = new[] { Slice("a", Enumerable.Range(0, 100)), Slice("b", Enumerable.Range(100, 100)), Slice("c", Enumerable.Range(200, 50)) };
        Assert.True(Plan(existing, Desired(Enumerable.Range(0, 250))).IsEmpty);
    }

    [Fact]
    public void Plan_OneNewEndpoint_GoesIntoFullestSliceWithRoom()
    {
        var existing = new[] { Slice("a", Enumerable.Range(0, 100)), Slice("b", Enumerable.Range(100, 60)), Slice("c", Enumerable.Range(200, 30)) };
        var changes = Plan(existing, Desired(Enumerable.Range(0, 160).Concat(Enumerable.Range(200, 31))));
        var update = Assert.Single(changes.ToUpdate);
        Assert.Equal("b", update.Name());
        Assert.Equal(61, Count(update));
        Assert.Empty(changes.ToCreate);
    }

    [Fact]
    public void Plan_RemovedAndAdded_UpdatesOnlyTheSliceAlreadyChanging()
    {
        var existing = new[] { Slice("a", Enumerable.Range(0, 100)), Slice("b", Enumerable.Range(100, 50)) };
        var desired = Enumerable.Range(1, 149).Append(500); // 0 goes, 500 comes
        var changes = Plan(existing, Desired(desired));
        var update = Assert.Single(changes.ToUpdate);
        Assert.Equal("a", update.Name());
        Assert.Equal(100, Count(update));
        Assert.Contains(EndpointSlices.EndpointsOf(update), e => e["targetRef"].Str("name") == "web-500");
    }

    [Fact]
    public void Plan_ConditionChanged_UpdatedInPlace()
    {
        var existing = new[] { Slice("a", Enumerable.Range(0, 3)) };
        var changes = Plan(existing, Desired(Enumerable.Range(0, 3), make: i => Endpoint(i, ready: i != 1)));
        var update = Assert.Single(changes.ToUpdate);
        Assert.False(EndpointSlices.EndpointsOf(update)[1]["conditions"].Bool("ready"));
    }

    [Fact]
    public void Plan_AllEndpointsGone_OnePlaceholderRecycledFromADeletedSlice()
    {
        var existing = new[] { Slice("a", Enumerable.Range(0, 100)), Slice("b", Enumerable.Range(100, 20)) };
        var changes = Plan(existing, []);
        Assert.Empty(changes.ToCreate);
        var placeholder = Assert.Single(changes.ToUpdate);
        Assert.Equal(0, Count(placeholder));
        Assert.Null(placeholder["ports"]);
        Assert.Single(changes.ToDelete);
    }

    [Fact]
    public void Plan_PlaceholderAlreadyThere_NoChanges()
    {
        Assert.True(Plan([Slice("p", [], ports: [])], []).IsEmpty);
    }

    [Fact]
    public void Plan_NoSlicesNoEndpoints_CreatesPlaceholder()
    {
        var placeholder = Assert.Single(Plan([], []).ToCreate);
        Assert.Equal(0, Count(placeholder));
    }

    [Fact]
    public void Plan_SliceOfAnotherServiceUid_ReplacedByRecycling()
    {
        var changes = Plan([Slice("old", Enumerable.Range(0, 3), ownerUid: "previous-service")], Desired(Enumerable.Range(0, 3)));
        // The stale slice is not ours to reuse: it is deleted and a new one created.
        Assert.Equal("old", Assert.Single(changes.ToDelete).Name());
        Assert.Equal(3, Count(Assert.Single(changes.ToCreate)));
    }

    [Fact]
    public void Plan_TwoPortLists_SeparateSlices()
    {
        var desired = Desired(Enumerable.Range(0, 2));
        var other = Desired(Enumerable.Range(2, 1), [new JsonObject { ["name"] = "http", ["port"] = 9090, ["protocol"] = "TCP" }]);
        foreach (var (k, v) in other) desired[k] = v;
        var creates = Plan([], desired).ToCreate;
        Assert.Equal(2, creates.Count);
        Assert.Equal([8080, 9090], creates.Select(s => s["ports"]![0].Long("port")!.Value).Order());
    }

    [Fact]
    public void Plan_PortListChanged_OldSliceRecycled()
    {
        var existing = new[] { Slice("a", Enumerable.Range(0, 3)) };
        var changes = Plan(existing, Desired(Enumerable.Range(0, 3), [new JsonObject { ["name"] = "http", ["port"] = 9090, ["protocol"] = "TCP" }]));
        var update = Assert.Single(changes.ToUpdate);
        Assert.Equal("a", update.Name());
        Assert.Equal(9090, update["ports"]![0].Long("port"));
        Assert.Empty(changes.ToCreate);
        Assert.Empty(changes.ToDelete);
    }
}
