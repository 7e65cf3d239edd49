using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Controllers.GarbageCollection;
using Orchestrator.Core.Controllers.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Core.Controllers.GarbageCollection;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Nodes;

public sealed class NodeLifecycleControllerTests
{
    private sealed class Term : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        public NodeLifecycleController Controller { get; }

        public Term(TestCluster c, IKubeClient? client = null)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(c.Token);
            var informers = new InformerFactory(c.Client, c.Time, NullLoggerFactory.Instance);
            Controller = new NodeLifecycleController(informers, client ?? c.Client, c.Events, c.Time,
                NullLogger<NodeLifecycleController>.Instance, new NodeLifecycleOptions());
            informers.Start(_cts.Token);
            _ = Task.Run(() => Controller.RunAsync(_cts.Token));
        }

        public async Task WaitForNodesAsync(params string[] nodes) =>
            await TestCluster.EventuallyAsync(() => Task.FromResult(nodes.All(n => Controller.HealthOf(n) != null)), "the controller has seen the nodes");

        public void Dispose()
        {
            _cts.Cancel();
            Controller.Dispose();
            _cts.Dispose();
        }
    }

    // ---- the agent's side, by hand -------------------------------------------------------------------------

    private static async Task CreateNodeAsync(TestCluster c, string name)
    {
        await c.Client.CreateAsync(Kinds.Node, null, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = name },
        });
        await PostReadyAsync(c, name, "True");
        await RenewLeaseAsync(c, name);
    }

    private static string Now(TestCluster c) => c.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private static async Task PostReadyAsync(TestCluster c, string node, string status) =>
        await ObjectUpdater.UpdateAsync(c.Client, Kinds.Node, null, node, n =>
        {
            n.Obj("status")["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = status, ["reason"] = status == "True" ? "KubeletReady" : "KubeletNotReady",
                ["lastHeartbeatTime"] = Now(c), ["lastTransitionTime"] = Now(c),
            });
            return true;
        }, CancellationToken.None, status: true);

    private static async Task RenewLeaseAsync(TestCluster c, string node)
    {
        var lease = await c.Client.GetAsync(Kinds.Lease, "kube-node-lease", node);
        var spec = new JsonObject
        {
            ["holderIdentity"] = node, ["leaseDurationSeconds"] = 40, ["renewTime"] = KubeTime.FormatMicro(c.Time.GetUtcNow()),
        };
        if (lease == null)
        {
            await c.Client.CreateAsync(Kinds.Lease, "kube-node-lease", new JsonObject
            {
                ["apiVersion"] = "coordination.k8s.io/v1", ["kind"] = "Lease",
                ["metadata"] = new JsonObject { ["name"] = node, ["namespace"] = "kube-node-lease" }, ["spec"] = spec,
            });
            return;
        }
        lease["spec"] = spec;
        await c.Client.UpdateAsync(Kinds.Lease, lease);
    }

    private static async Task CreateRunningPodAsync(TestCluster c, string name, string node, string? tolerations = null)
    {
        var pod = GcObjects.Pod(name, nodeName: node);
        if (tolerations != null) pod.Obj("spec")["tolerations"] = JsonNode.Parse(tolerations);
        await c.Client.CreateAsync(Kinds.Pod, "default", pod);
        await ObjectUpdater.UpdateAsync(c.Client, Kinds.Pod, "default", name, p =>
        {
            p["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = Now(c) }),
            };
            return true;
        }, CancellationToken.None, status: true);
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private static async Task<JsonObject> NodeAsync(TestCluster c, string name) => (await c.Client.GetAsync(Kinds.Node, null, name))!;

    private static async Task<string?> ReadyAsync(TestCluster c, string node) => PodStatus.Condition(await NodeAsync(c, node), "Ready")?.Str("status");

    private static async Task<string[]> TaintsAsync(TestCluster c, string node) =>
        Taints.Of(await NodeAsync(c, node)).Select(t => $"{t.Str("key")}:{t.Str("effect")}").Order().ToArray();

    private static async Task<JsonObject?> PodAsync(TestCluster c, string name) => await c.Client.GetAsync(Kinds.Pod, "default", name);

    /// <summary>
    /// Moves the clock a second at a time (running <paramref name="each"/> after each tick, like agents heartbeating)
    /// until <paramref name="done"/> holds; returns the seconds it took. Fails after <paramref name="max"/> seconds.
    /// </summary>
    private static async Task<int> SecondsUntilAsync(TestCluster c, Func<Task<bool>> done, int max, Func<Task>? each = null)
    {
        for (var s = 1; s <= max; s++)
        {
            c.Time.Advance(TimeSpan.FromSeconds(1));
            if (each != null) await each();
            for (var i = 0; i < 10; i++)
            {
                if (await done()) return s;
                await Task.Delay(15);
            }
        }
        throw new Xunit.Sdk.XunitException($"condition not reached within {max} simulated seconds");
    }

    private const string TolerateUnreachable30 =
        """[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":30}]""";
    private const string TolerateForever =
        """[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute"},{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute"}]""";

    [Theory]
    [InlineData(0)]
    [InlineData(2)] // the first writes meet conflicts and are retried
    public async Task LostNode_TurnsUnknown_IsTainted_PodsNotReadyThenEvicted_ReturnRemovesTaints(int conflicts)
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        await CreateNodeAsync(c, "n2");
        await CreateRunningPodAsync(c, "web", "n1");
        await CreateRunningPodAsync(c, "tolerant", "n1", TolerateUnreachable30);
        await CreateRunningPodAsync(c, "daemon", "n1", TolerateForever);
        await CreateRunningPodAsync(c, "elsewhere", "n2");
        using var term = new Term(c, new ConflictingClient(c.Client, conflicts));
        await term.WaitForNodesAsync("n1", "n2");
        Func<Task> n2Heartbeats = () => RenewLeaseAsync(c, "n2");

        // n1 falls silent; n2 keeps renewing. Nothing happens within the grace period (15 s).
        for (var i = 0; i < 14; i++)
        {
            c.Time.Advance(TimeSpan.FromSeconds(1));
            await n2Heartbeats();
        }
        await Task.Delay(100);
        Assert.Equal("True", await ReadyAsync(c, "n1"));
        Assert.Empty(await TaintsAsync(c, "n1"));

        var toUnknown = 14 + await SecondsUntilAsync(c, async () => await ReadyAsync(c, "n1") == "Unknown", 5, n2Heartbeats);
        Assert.InRange(toUnknown, 15, 17);

        var node = await NodeAsync(c, "n1");
        var ready = PodStatus.Condition(node, "Ready")!;
        Assert.Equal("NodeStatusUnknown", ready.Str("reason"));
        Assert.Equal("Kubelet stopped posting node status.", ready.Str("message"));
        Assert.Equal("Unknown", PodStatus.Condition(node, "MemoryPressure")?.Str("status"));
        await TestCluster.EventuallyAsync(async () => (await TaintsAsync(c, "n1")).Length == 2, "n1 is tainted");
        Assert.Equal(["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"], await TaintsAsync(c, "n1"));
        Assert.All(Taints.Of(await NodeAsync(c, "n1")), t => Assert.NotNull(t.Str("timeAdded")));
        Assert.Equal("True", await ReadyAsync(c, "n2"));
        Assert.Empty(await TaintsAsync(c, "n2"));

        // Its pods are marked not ready at once; the pod elsewhere is untouched.
        await TestCluster.EventuallyAsync(async () =>
        {
            foreach (var p in new[] { "web", "tolerant", "daemon" })
                if (PodStatus.IsReady((await PodAsync(c, p))!)) return false;
            return true;
        }, "n1's pods are not ready");
        Assert.Equal("NodeLost", PodStatus.Condition((await PodAsync(c, "web"))!, "Ready")!.Str("reason"));
        Assert.True(PodStatus.IsReady((await PodAsync(c, "elsewhere"))!));

        // The eviction timeout (10 s) for the plain pod; 30 s for the one that says so; never for the tolerant one.
        var toEviction = await SecondsUntilAsync(c, async () => await PodAsync(c, "web") == null, 15, n2Heartbeats);
        Assert.InRange(toEviction, 9, 12);
        Assert.NotNull(await PodAsync(c, "tolerant"));
        var toTolerantEviction = toEviction + await SecondsUntilAsync(c, async () => await PodAsync(c, "tolerant") == null, 25, n2Heartbeats);
        Assert.InRange(toTolerantEviction, 29, 32);
        for (var i = 0; i < 30; i++)
        {
            c.Time.Advance(TimeSpan.FromSeconds(1));
            await n2Heartbeats();
        }
        await Task.Delay(100);
        Assert.NotNull(await PodAsync(c, "daemon"));
        Assert.NotNull(await PodAsync(c, "elsewhere"));

        // n1 comes back: its agent renews the lease and posts Ready=True; the taints go.
        await RenewLeaseAsync(c, "n1");
        await PostReadyAsync(c, "n1", "True");
        await TestCluster.EventuallyAsync(async () => (await TaintsAsync(c, "n1")).Length == 0, "the taints are removed");
        Assert.Equal("True", await ReadyAsync(c, "n1"));
    }

    [Fact]
    public async Task NodeReportingNotReady_GetsNotReadyTaints_PodsEvictedGracefully()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        await CreateRunningPodAsync(c, "web", "n1");
        using var term = new Term(c);
        await term.WaitForNodesAsync("n1");

        await PostReadyAsync(c, "n1", "False");
        await TestCluster.EventuallyAsync(async () => (await TaintsAsync(c, "n1")).Length == 2, "n1 is tainted");
        Assert.Equal(["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"], await TaintsAsync(c, "n1"));
        await TestCluster.EventuallyAsync(async () => !PodStatus.IsReady((await PodAsync(c, "web"))!), "the pod is not ready");
        Assert.Equal("NodeNotReady", PodStatus.Condition((await PodAsync(c, "web"))!, "Ready")!.Str("reason"));

        // The node is reachable: the eviction is a graceful deletion its agent will finish.
        Func<Task> heartbeat = () => RenewLeaseAsync(c, "n1");
        var seconds = await SecondsUntilAsync(c, async () => (await PodAsync(c, "web"))?["metadata"]?["deletionTimestamp"] != null, 15, heartbeat);
        Assert.InRange(seconds, 10, 12);
        Assert.NotNull(await PodAsync(c, "web"));

        await PostReadyAsync(c, "n1", "True");
        await TestCluster.EventuallyAsync(async () => (await TaintsAsync(c, "n1")).Length == 0, "the taints are removed");
    }

    [Fact]
    public async Task Restart_AfterTheNodeWasLost_NewInstanceEvictsOnSchedule()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        await CreateRunningPodAsync(c, "web", "n1");
        var first = new Term(c);
        await first.WaitForNodesAsync("n1");
        await SecondsUntilAsync(c, async () => (await TaintsAsync(c, "n1")).Length == 2, 25);
        first.Dispose();

        // No controller for a while: the eviction deadline (taint timeAdded + 10 s) passes unnoticed.
        c.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.NotNull(await PodAsync(c, "web"));

        using var second = new Term(c);
        await TestCluster.EventuallyAsync(async () => await PodAsync(c, "web") == null, "the new instance evicts the overdue pod");
        Assert.Equal("Unknown", await ReadyAsync(c, "n1"));
        Assert.Equal(2, (await TaintsAsync(c, "n1")).Length);
    }

    [Fact]
    public async Task NeverReportingNode_GetsTheStartupGracePeriod()
    {
        await using var c = new TestCluster();
        await c.Client.CreateAsync(Kinds.Node, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "fresh" } });
        using var term = new Term(c);
        await term.WaitForNodesAsync("fresh");

        var seconds = await SecondsUntilAsync(c, async () => await ReadyAsync(c, "fresh") == "Unknown", 70);
        Assert.InRange(seconds, 60, 62);
        Assert.Equal("NodeStatusNeverUpdated", PodStatus.Condition(await NodeAsync(c, "fresh"), "Ready")!.Str("reason"));
    }

    [Fact]
    public async Task DeletedNode_ItsPodsAreDeleted()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        await CreateRunningPodAsync(c, "web", "n1");
        using var term = new Term(c);
        await term.WaitForNodesAsync("n1");

        await c.Client.DeleteAsync(Kinds.Node, null, "n1");
        await TestCluster.EventuallyAsync(async () => await PodAsync(c, "web") == null, "the pod of the deleted node goes");
    }
}
