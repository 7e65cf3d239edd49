using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;
using Orchestrator.Core.Scheduling;
using Orchestrator.Simulator;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Simulator;

public class SimulatedNodePoolTests
{
    private static readonly SimulatorOptions Instant = new() { NodeCount = 3, StartupDelay = TimeSpan.Zero, ReadyDelay = TimeSpan.Zero };

    private static async Task<(SimulatedNodePool Pool, CancellationTokenSource Stop)> StartPoolAsync(TestCluster c, SimulatorOptions options)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(c.Token);
        var pool = new SimulatedNodePool(c.Client, options, c.Time, NullLoggerFactory.Instance);
        _ = Task.Run(() => pool.RunAsync(stop.Token));
        await pool.WaitForRegistrationAsync(c.Token).WaitAsync(TimeSpan.FromSeconds(10));
        return (pool, stop);
    }

    private static JsonObject NewPod(string name, string annotations = "{}", string restartPolicy = "Always") => JsonNode.Parse($$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{name}}","namespace":"default","annotations":{{annotations}}},
         "spec":{"restartPolicy":"{{restartPolicy}}","containers":[{"name":"app","image":"nginx:1.27"},{"name":"side","image":"busybox"}]} }
        """)!.AsObject();

    private static async Task<JsonObject> BoundPodAsync(TestCluster c, string name, string node, string annotations = "{}", string restartPolicy = "Always")
    {
        await c.Client.CreateAsync(Kinds.Pod, "default", NewPod(name, annotations, restartPolicy));
        await c.Client.BindAsync("default", name, node);
        return (await c.Client.GetAsync(Kinds.Pod, "default", name))!;
    }

    private static async Task<JsonObject?> PodAsync(TestCluster c, string name) => await c.Client.GetAsync(Kinds.Pod, "default", name);

    /// <summary>
    /// Moves the manual clock in small steps until the condition holds: a timer the pool sets while the clock is
    /// being moved may be due after a single big step, so one Advance is not enough.
    /// </summary>
    private static async Task AdvanceUntilAsync(TestCluster c, Func<Task<bool>> condition, string because)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition()) return;
            c.Time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(25);
        }
        throw new Xunit.Sdk.XunitException("timed out waiting until " + because);
    }

    private static Task PhaseAsync(TestCluster c, string name, string phase) =>
        TestCluster.EventuallyAsync(async () => await PodAsync(c, name) is { } p && PodStatus.Phase(p) == phase, $"{name} is {phase}");

    [Fact]
    public async Task Run_RegistersReadyNodesWithLeases()
    {
        await using var c = new TestCluster();
        var (pool, stop) = await StartPoolAsync(c, Instant);
        using var _ = stop;
        using var __ = pool;

        var nodes = (await c.Client.ListAsync(Kinds.Node, null)).Items.OrderBy(n => n.Name()).ToList();
        Assert.Equal(["sim-0", "sim-1", "sim-2"], nodes.Select(n => n.Name()));
        var node = nodes[1];
        Assert.Equal("sim-1", node.Labels()["kubernetes.io/hostname"]);
        Assert.Equal("simulated", node.Labels()["node.kubernetes.io/instance-type"]);
        Assert.Equal("true", node.Labels()[SimulatedNode.SimulatedLabel]);
        Assert.Equal("10.244.1.0/24", node["spec"].Str("podCIDR"));
        Assert.Equal("4", node["status"]!["allocatable"].Str("cpu"));
        Assert.Equal("8Gi", node["status"]!["capacity"].Str("memory"));
        Assert.Equal("110", node["status"]!["allocatable"].Str("pods"));
        Assert.Equal("v1.32.0-sim", node["status"]!["nodeInfo"].Str("kubeletVersion"));
        Assert.Equal("sim://1.0", node["status"]!["nodeInfo"].Str("containerRuntimeVersion"));
        var addresses = node["status"]!["addresses"]!.AsArray().OfType<JsonObject>().ToDictionary(a => a.Str("type")!, a => a.Str("address"));
        Assert.Equal("10.255.0.2", addresses["InternalIP"]);
        Assert.Equal("sim-1", addresses["Hostname"]);
        var ready = node["status"]!["conditions"]!.AsArray().OfType<JsonObject>().Single(x => x.Str("type") == "Ready");
        Assert.Equal("True", ready.Str("status"));
        Assert.NotNull(ready.Str("lastHeartbeatTime"));

        await TestCluster.EventuallyAsync(async () => (await c.Client.ListAsync(Kinds.Lease, "kube-node-lease")).Items.Count == 3, "three leases exist");
        var lease = (await c.Client.GetAsync(Kinds.Lease, "kube-node-lease", "sim-1"))!;
        Assert.Equal("sim-1", lease["spec"].Str("holderIdentity"));
        Assert.Equal(node.Uid(), OwnerReferences.All(lease).Single().Str("uid"));
        var renewed = lease["spec"].Str("renewTime");

        c.Time.Advance(Instant.LeaseInterval);
        await TestCluster.EventuallyAsync(async () =>
            (await c.Client.GetAsync(Kinds.Lease, "kube-node-lease", "sim-1"))!["spec"].Str("renewTime") != renewed, "the lease is renewed after 5 s");
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Run_BoundPods_RunningAndReadyWithIpsFromThePodCidr()
    {
        await using var c = new TestCluster();
        var (pool, stop) = await StartPoolAsync(c, Instant);
        using var _ = stop;
        using var __ = pool;
        for (var i = 0; i < 4; i++) await BoundPodAsync(c, $"p{i}", "sim-2");
        await BoundPodAsync(c, "other", "sim-0");

        for (var i = 0; i < 4; i++) await PhaseAsync(c, $"p{i}", "Running");
        await PhaseAsync(c, "other", "Running");
        var pods = new List<JsonObject>();
        for (var i = 0; i < 4; i++) pods.Add((await PodAsync(c, $"p{i}"))!);
        var ips = pods.Select(p => p["status"].Str("podIP")!).ToList();
        Assert.Equal(4, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.StartsWith("10.244.2.", ip));
        Assert.All(ips, ip => Assert.InRange(int.Parse(ip.Split('.')[3]), 2, 254));
        Assert.StartsWith("10.244.0.", (await PodAsync(c, "other"))!["status"].Str("podIP"));

        var pod = pods[0];
        var status = pod["status"]!;
        Assert.Equal("10.255.0.3", status.Str("hostIP"));
        Assert.NotNull(status.Str("startTime"));
        foreach (var type in new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" })
            Assert.Equal("True", PodStatus.Condition(pod, type)?.Str("status"));
        var containers = status["containerStatuses"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(["app", "side"], containers.Select(x => x.Str("name")));
        var app = containers[0];
        Assert.Equal("nginx:1.27", app.Str("image"));
        Assert.StartsWith("sim://", app.Str("containerID"));
        Assert.StartsWith("sim://sha256:", app.Str("imageID"));
        Assert.True(app.Bool("ready"));
        Assert.True(app.Bool("started"));
        Assert.Equal(0, app.Long("restartCount"));
        Assert.NotNull(app["state"]?["running"].Str("startedAt"));
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Run_StartupAndReadyDelays_FollowTheClock()
    {
        await using var c = new TestCluster();
        var options = Instant with { StartupDelay = TimeSpan.FromSeconds(3), ReadyDelay = TimeSpan.FromSeconds(10) };
        var (pool, stop) = await StartPoolAsync(c, options);
        using var _ = stop;
        using var __ = pool;
        await BoundPodAsync(c, "slow", "sim-0");

        await Task.Delay(300);
        Assert.Equal("Pending", PodStatus.Phase((await PodAsync(c, "slow"))!));
        var start = c.Time.GetUtcNow();
        await AdvanceUntilAsync(c, async () => PodStatus.Phase((await PodAsync(c, "slow"))!) == "Running", "the pod runs after the startup delay");
        Assert.True(c.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(3));
        var unready = (await PodAsync(c, "slow"))!;
        Assert.False(PodStatus.IsReady(unready));
        Assert.Equal("ContainersNotReady", PodStatus.Condition(unready, "Ready")!.Str("reason"));

        var running = c.Time.GetUtcNow();
        await AdvanceUntilAsync(c, async () => PodStatus.IsReady((await PodAsync(c, "slow"))!), "the pod turns Ready after the ready delay");
        Assert.True(c.Time.GetUtcNow() - running >= TimeSpan.FromSeconds(9));
        await stop.CancelAsync();
    }

    [Theory]
    [InlineData("Never", "0", "Succeeded", "Completed")]
    [InlineData("OnFailure", "0", "Succeeded", "Completed")]
    [InlineData("Never", "1", "Failed", "Error")]
    public async Task Run_ExitAnnotations_PodFinishes(string restartPolicy, string exitCode, string phase, string reason)
    {
        await using var c = new TestCluster();
        var (pool, stop) = await StartPoolAsync(c, Instant);
        using var _ = stop;
        using var __ = pool;
        await BoundPodAsync(c, "job-pod", "sim-1",
            $$"""{"{{SimulatedNodePool.ExitAfterAnnotation}}":"2s","{{SimulatedNodePool.ExitCodeAnnotation}}":"{{exitCode}}"}""", restartPolicy);
        await PhaseAsync(c, "job-pod", "Running");
        await AdvanceUntilAsync(c, async () => PodStatus.Phase((await PodAsync(c, "job-pod"))!) == phase, $"the pod is {phase}");

        var pod = (await PodAsync(c, "job-pod"))!;
        Assert.False(PodStatus.IsReady(pod));
        var terminated = pod["status"]!["containerStatuses"]!.AsArray().OfType<JsonObject>().First()["state"]!["terminated"]!;
        Assert.Equal(long.Parse(exitCode), terminated.Long("exitCode"));
        Assert.Equal(reason, terminated.Str("reason"));
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Run_ExitAnnotationOnRestartAlwaysPod_KeepsRunning()
    {
        await using var c = new TestCluster();
        var (pool, stop) = await StartPoolAsync(c, Instant);
        using var _ = stop;
        using var __ = pool;
        await BoundPodAsync(c, "server", "sim-1", $$"""{"{{SimulatedNodePool.ExitAfterAnnotation}}":"1s"}""");
        await PhaseAsync(c, "server", "Running");
        c.Time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(200);
        Assert.Equal("Running", PodStatus.Phase((await PodAsync(c, "server"))!));
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Run_GracefulDeletion_ConfirmedByTheNode()
    {
        await using var c = new TestCluster();
        var (pool, stop) = await StartPoolAsync(c, Instant);
        using var _ = stop;
        using var __ = pool;
        await BoundPodAsync(c, "doomed", "sim-0");
        await PhaseAsync(c, "doomed", "Running");

        await c.Client.DeleteAsync(Kinds.Pod, "default", "doomed", new DeleteRequest(GracePeriodSeconds: 30));
        await TestCluster.EventuallyAsync(async () => await PodAsync(c, "doomed") == null, "the terminating pod is removed");
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Run_WithTheScheduler_PodsSpreadAndRun_AndARestartedPoolKeepsIps()
    {
        await using var c = new TestCluster();
        var (pool, stop) = await StartPoolAsync(c, Instant);
        var scheduler = new Scheduler(c.Informers, c.Client, c.Events, c.Time, NullLogger<Scheduler>.Instance);
        _ = c.Run(scheduler);
        for (var i = 0; i < 6; i++) await c.Client.CreateAsync(Kinds.Pod, "default", NewPod($"web-{i}"));
        for (var i = 0; i < 6; i++) await PhaseAsync(c, $"web-{i}", "Running");
        var before = new Dictionary<string, string>();
        for (var i = 0; i < 6; i++) before[$"web-{i}"] = (await PodAsync(c, $"web-{i}"))!["status"].Str("podIP")!;
        Assert.Equal(6, before.Values.Distinct().Count());

        // Restart the pool: nothing is re-registered twice, no IP changes, a new pod gets an unused IP.
        await stop.CancelAsync();
        pool.Dispose();
        var (pool2, stop2) = await StartPoolAsync(c, Instant);
        using var stopping = stop2;
        using var pooled = pool2;
        Assert.Equal(3, (await c.Client.ListAsync(Kinds.Node, null)).Items.Count);
        await c.Client.CreateAsync(Kinds.Pod, "default", NewPod("late"));
        await PhaseAsync(c, "late", "Running");
        for (var i = 0; i < 6; i++) Assert.Equal(before[$"web-{i}"], (await PodAsync(c, $"web-{i}"))!["status"].Str("podIP"));
        Assert.DoesNotContain((await PodAsync(c, "late"))!["status"].Str("podIP"), before.Values);
        await stop2.CancelAsync();
    }
}
