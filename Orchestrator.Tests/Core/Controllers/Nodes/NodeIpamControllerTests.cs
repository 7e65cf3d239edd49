using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Nodes;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Nodes;

public sealed class NodeIpamControllerTests
{
    /// <summary>One controller instance with its own informers (a leadership term); disposing it is a restart.</summary>
    private sealed class Term : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        public NodeIpamController Controller { get; }

        public Term(TestCluster c, NodeIpamOptions options, IKubeClient? client = null)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(c.Token);
            var informers = new InformerFactory(c.Client, c.Time, NullLoggerFactory.Instance);
            Controller = new NodeIpamController(informers, client ?? c.Client, c.Events, c.Time, NullLogger<NodeIpamController>.Instance, options);
            informers.Start(_cts.Token);
            _ = Task.Run(() => Controller.RunAsync(_cts.Token));
        }

        public void Dispose()
        {
            _cts.Cancel();
            Controller.Dispose();
            _cts.Dispose();
        }
    }

    private static readonly NodeIpamOptions Default = new();

    private static Task CreateNodeAsync(TestCluster c, string name, string? podCidr = null)
    {
        var node = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = name } };
        if (podCidr != null)
            node["spec"] = new JsonObject { ["podCIDR"] = podCidr, ["podCIDRs"] = new JsonArray(podCidr) };
        return c.Client.CreateAsync(Kinds.Node, null, node);
    }

    private static async Task<string?> PodCidrAsync(TestCluster c, string name) =>
        (await c.Client.GetAsync(Kinds.Node, null, name))?["spec"].Str("podCIDR");

    private static async Task<string> WaitForCidrAsync(TestCluster c, string name)
    {
        string? cidr = null;
        await TestCluster.EventuallyAsync(async () => (cidr = await PodCidrAsync(c, name)) != null, $"node {name} has a pod CIDR");
        return cidr!;
    }

    [Fact]
    public async Task NewNodes_GetDistinct24s_AndAlreadySetCidrsAreKept()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "ipam-sim-0", "10.244.0.0/24"); // as the node simulator registers its nodes
        await CreateNodeAsync(c, "ipam-a");
        await CreateNodeAsync(c, "ipam-b");
        using var term = new Term(c, Default);

        var a = await WaitForCidrAsync(c, "ipam-a");
        var b = await WaitForCidrAsync(c, "ipam-b");
        Assert.Equal(["10.244.1.0/24", "10.244.2.0/24"], new[] { a, b }.Order());
        Assert.Equal("10.244.0.0/24", await PodCidrAsync(c, "ipam-sim-0"));
        var node = (await c.Client.GetAsync(Kinds.Node, null, "ipam-a"))!;
        Assert.Equal([a], ((JsonArray)node["spec"]!["podCIDRs"]!).Select(n => n!.GetValue<string>()));
        Assert.Equal((3, 256), term.Controller.Usage);

        // A node created while it runs.
        await CreateNodeAsync(c, "ipam-c");
        Assert.Equal("10.244.3.0/24", await WaitForCidrAsync(c, "ipam-c"));
    }

    [Fact]
    public async Task Restart_RebuildsFromTheNodes_NoCollision()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "ipam-a");
        await CreateNodeAsync(c, "ipam-b");
        using (new Term(c, Default))
        {
            await WaitForCidrAsync(c, "ipam-a");
            await WaitForCidrAsync(c, "ipam-b");
        }

        await CreateNodeAsync(c, "ipam-c");
        using var second = new Term(c, Default);
        var cidrC = await WaitForCidrAsync(c, "ipam-c");
        var all = new[] { await PodCidrAsync(c, "ipam-a"), await PodCidrAsync(c, "ipam-b"), cidrC };
        Assert.Equal(3, all.Distinct().Count());
        Assert.Equal(await PodCidrAsync(c, "ipam-a"), second.Controller.CidrOf("ipam-a"));
    }

    [Fact]
    public async Task Full_EmitsCIDRNotAvailable_AndDeletionFreesACidrForTheWaitingNode()
    {
        await using var c = new TestCluster();
        using var term = new Term(c, new NodeIpamOptions { ClusterCidr = "10.250.0.0/23", NodeCidrMaskSize = 24 });
        await CreateNodeAsync(c, "ipam-a");
        await CreateNodeAsync(c, "ipam-b");
        var a = await WaitForCidrAsync(c, "ipam-a");
        await WaitForCidrAsync(c, "ipam-b");

        await CreateNodeAsync(c, "ipam-c");
        await TestCluster.EventuallyAsync(async () =>
            (await c.Client.ListAsync(Kinds.Event, "default")).Items.Any(e =>
                e.Str("reason") == "CIDRNotAvailable" && e["involvedObject"].Str("name") == "ipam-c"
                && e.Str("message") == "Node ipam-c status is now: CIDRNotAvailable"),
            "the controller reported that no CIDR is left");
        Assert.Null(await PodCidrAsync(c, "ipam-c"));

        await c.Client.DeleteAsync(Kinds.Node, null, "ipam-a");
        Assert.Equal(a, await WaitForCidrAsync(c, "ipam-c"));
    }

    [Fact]
    public async Task CidrOutsideTheClusterRange_IsLeftAlone()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "ipam-foreign", "192.168.50.0/24");
        using var term = new Term(c, Default);
        await CreateNodeAsync(c, "ipam-a");
        Assert.Equal("10.244.0.0/24", await WaitForCidrAsync(c, "ipam-a"));
        Assert.Equal("192.168.50.0/24", await PodCidrAsync(c, "ipam-foreign"));
        Assert.Null(term.Controller.CidrOf("ipam-foreign"));
    }

    [Fact]
    public async Task SomeoneElseSetsACidrFirst_TheirsWins_AndOursIsReleased()
    {
        await using var c = new TestCluster();
        // Just before the controller's write, an admin sets the node's CIDR: the controller's PUT is stale (409).
        var racing = new InterloperClient(c.Client, async () =>
        {
            var node = (await c.Client.GetAsync(Kinds.Node, null, "ipam-raced"))!;
            node.Obj("spec")["podCIDR"] = "10.244.9.0/24";
            await c.Client.UpdateAsync(Kinds.Node, node);
        });
        using var term = new Term(c, Default, racing);
        await CreateNodeAsync(c, "ipam-raced");

        await TestCluster.EventuallyAsync(() => Task.FromResult(term.Controller.CidrOf("ipam-raced") == "10.244.9.0/24"),
            "the controller adopted the admin's CIDR");
        Assert.Equal(1, racing.Interruptions);
        Assert.Equal("10.244.9.0/24", await PodCidrAsync(c, "ipam-raced"));
        Assert.Equal((1, 256), term.Controller.Usage);
    }

    /// <summary>Runs <c>interlope</c> once, right before the first node update goes through.</summary>
    private sealed class InterloperClient(IKubeClient inner, Func<Task> interlope) : IKubeClient
    {
        private int _done;

        public int Interruptions => _done;

        public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken ct = default) => inner.GetAsync(kind, ns, name, ct);

        public Task<ObjectList> ListAsync(ResourceKind kind, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
            inner.ListAsync(kind, ns, labelSelector, fieldSelector, ct);

        public IAsyncEnumerable<WatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, string? labelSelector = null, string? fieldSelector = null, CancellationToken ct = default) =>
            inner.WatchAsync(kind, ns, resourceVersion, labelSelector, fieldSelector, ct);

        public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct = default) => inner.CreateAsync(kind, ns, obj, ct);

        public async Task<JsonObject> UpdateAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default)
        {
            if (kind == Kinds.Node && Interlocked.Exchange(ref _done, 1) == 0)
                await interlope();
            return await inner.UpdateAsync(kind, obj, ct);
        }

        public Task<JsonObject> UpdateStatusAsync(ResourceKind kind, JsonObject obj, CancellationToken ct = default) => inner.UpdateStatusAsync(kind, obj, ct);

        public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, CancellationToken ct = default) =>
            inner.PatchAsync(kind, ns, name, type, patch, subresource, ct);

        public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteRequest? options = null, CancellationToken ct = default) =>
            inner.DeleteAsync(kind, ns, name, options, ct);

        public Task BindAsync(string ns, string pod, string node, CancellationToken ct = default) => inner.BindAsync(ns, pod, node, ct);
    }
}
