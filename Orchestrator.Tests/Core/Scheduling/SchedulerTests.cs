using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;
using Orchestrator.Core.Scheduling;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Scheduling.SchedulingObjects;

namespace Orchestrator.Tests.Core.Scheduling;

public class SchedulerTests
{
    private static Scheduler NewScheduler(TestCluster c, IKubeClient? client = null, InformerFactory? informers = null, SchedulerProfile? profile = null) =>
        new(informers ?? c.Informers, client ?? c.Client, c.Events, c.Time, NullLogger<Scheduler>.Instance, profile);

    private static async Task AddNodeAsync(TestCluster c, JsonObject node)
    {
        var created = await c.Client.CreateAsync(Kinds.Node, null, node);
        created["status"] = node["status"]!.DeepClone();
        await c.Client.UpdateStatusAsync(Kinds.Node, created);
    }

    private static async Task AddPodAsync(TestCluster c, JsonObject pod)
    {
        pod["metadata"]!.AsObject().Remove("uid");
        await c.Client.CreateAsync(Kinds.Pod, "default", pod);
    }

    private static async Task<JsonObject> PodAsync(TestCluster c, string name) => (await c.Client.GetAsync(Kinds.Pod, "default", name))!;

    private static async Task<string?> NodeOfAsync(TestCluster c, string name) => (await PodAsync(c, name))["spec"].Str("nodeName");

    private static async Task<List<JsonObject>> EventsAsync(TestCluster c, string pod, string reason) =>
        (await c.Client.ListAsync(Kinds.Event, "default")).Items
            .Where(e => e["involvedObject"].Str("name") == pod && e.Str("reason") == reason).ToList();

    private static Task BoundAsync(TestCluster c, params string[] pods) =>
        TestCluster.EventuallyAsync(async () =>
        {
            foreach (var p in pods)
                if (await NodeOfAsync(c, p) == null) return false;
            return true;
        }, $"{string.Join(", ", pods)} are bound");

    private static Task UnschedulableAsync(TestCluster c, string pod) =>
        TestCluster.EventuallyAsync(async () => PodStatus.Condition(await PodAsync(c, pod), "PodScheduled")?.Str("reason") == "Unschedulable",
            $"{pod} is marked Unschedulable");

    [Fact]
    public async Task Run_SixReplicasOfOneReplicaSet_TwoPerNode_WithScheduledEvents()
    {
        await using var c = new TestCluster();
        foreach (var n in new[] { "n1", "n2", "n3" }) await AddNodeAsync(c, Node(n));
        _ = c.Run(NewScheduler(c));
        var names = Enumerable.Range(0, 6).Select(i => $"web-{i}").ToArray();
        foreach (var name in names) await AddPodAsync(c, Pod(name, cpu: "100m", ownerUid: "rs-web"));

        await BoundAsync(c, names);
        var placement = new List<string>();
        foreach (var name in names) placement.Add((await NodeOfAsync(c, name))!);
        Assert.Equal([2, 2, 2], placement.GroupBy(n => n).Select(g => g.Count()));

        var pod = await PodAsync(c, "web-0");
        Assert.Equal("True", PodStatus.Condition(pod, "PodScheduled")?.Str("status"));
        await TestCluster.EventuallyAsync(async () => (await EventsAsync(c, "web-0", "Scheduled")).Count == 1, "a Scheduled event is recorded");
        var evt = (await EventsAsync(c, "web-0", "Scheduled")).Single();
        Assert.Equal("Normal", evt.Str("type"));
        Assert.Equal($"Successfully assigned default/web-0 to {placement[0]}", evt.Str("message"));
    }

    public static TheoryData<string, string> UnschedulableCases => new()
    {
        { "nodeSelector", "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption is not supported." },
        { "affinity", "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable. preemption is not supported." },
        { "taint", "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable. preemption is not supported." },
        { "cpu", "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable. preemption is not supported." },
        { "memory", "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable. preemption is not supported." },
    };

    /// <summary>
    /// Three nodes: "small" (1 cpu, zone=a), "tainted" (8 cpu, dedicated=db:NoSchedule, zone=b) and "cordoned"
    /// (8 cpu, zone=c). Each case is a pod that fits none of them, and the message says why, node by node.
    /// </summary>
    [Theory]
    [MemberData(nameof(UnschedulableCases))]
    public async Task Run_PodFitsNowhere_UnschedulableConditionAndFailedSchedulingEvent(string @case, string message)
    {
        await using var c = new TestCluster();
        await AddNodeAsync(c, Node("small", cpu: "1", labels: """{"zone":"a"}"""));
        await AddNodeAsync(c, Node("tainted", cpu: "8", labels: """{"zone":"b"}""", taints: """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]"""));
        await AddNodeAsync(c, Node("cordoned", cpu: "8", labels: """{"zone":"c"}""", unschedulable: true));
        _ = c.Run(NewScheduler(c));
        var pod = @case switch
        {
            "nodeSelector" => Pod("p", spec: """{"nodeSelector":{"zone":"z"},"tolerations":[{"operator":"Exists"}]}"""),
            "affinity" => Pod("p", spec: """{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["b","c"]}]}]}}}}"""),
            "taint" => Pod("p", cpu: "2"),
            "cpu" => Pod("p", cpu: "1500m"),
            _ => Pod("p", memory: "9Gi"),
        };
        await AddPodAsync(c, pod);

        await UnschedulableAsync(c, "p");
        var condition = PodStatus.Condition(await PodAsync(c, "p"), "PodScheduled")!;
        Assert.Equal("False", condition.Str("status"));
        Assert.Equal(message, condition.Str("message"));
        Assert.Null(await NodeOfAsync(c, "p"));
        await TestCluster.EventuallyAsync(async () => (await EventsAsync(c, "p", "FailedScheduling")).Count > 0, "FailedScheduling is recorded");
        var evt = (await EventsAsync(c, "p", "FailedScheduling")).First();
        Assert.Equal("Warning", evt.Str("type"));
        Assert.Equal(message, evt.Str("message"));
    }

    [Fact]
    public async Task Run_TolerationsAndSelectorsSatisfied_PodLandsOnTheOnlyMatchingNode()
    {
        await using var c = new TestCluster();
        await AddNodeAsync(c, Node("plain"));
        await AddNodeAsync(c, Node("db", labels: """{"role":"db"}""", taints: """[{"key":"dedicated","value":"db","effect":"NoSchedule"}]"""));
        _ = c.Run(NewScheduler(c));
        await AddPodAsync(c, Pod("db-0", spec: """{"nodeSelector":{"role":"db"},"tolerations":[{"key":"dedicated","operator":"Equal","value":"db","effect":"NoSchedule"}]}"""));
        await AddPodAsync(c, Pod("any", spec: """{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["plain"]}]}]}}}}"""));
        await BoundAsync(c, "db-0", "any");
        Assert.Equal("db", await NodeOfAsync(c, "db-0"));
        Assert.Equal("plain", await NodeOfAsync(c, "any"));
    }

    [Fact]
    public async Task Run_CordonedNode_Skipped()
    {
        await using var c = new TestCluster();
        await AddNodeAsync(c, Node("a", unschedulable: true));
        await AddNodeAsync(c, Node("b"));
        await AddNodeAsync(c, Node("c", ready: "False"));
        _ = c.Run(NewScheduler(c));
        var names = Enumerable.Range(0, 5).Select(i => $"p{i}").ToArray();
        foreach (var n in names) await AddPodAsync(c, Pod(n));
        await BoundAsync(c, names);
        foreach (var n in names) Assert.Equal("b", await NodeOfAsync(c, n));
    }

    [Fact]
    public async Task Run_HostPortTakenOnEveryNode_ThirdPodUnschedulable()
    {
        await using var c = new TestCluster();
        await AddNodeAsync(c, Node("a"));
        await AddNodeAsync(c, Node("b"));
        _ = c.Run(NewScheduler(c));
        await AddPodAsync(c, Pod("h1", hostPort: "8080"));
        await AddPodAsync(c, Pod("h2", hostPort: "8080"));
        await BoundAsync(c, "h1", "h2");
        Assert.NotEqual(await NodeOfAsync(c, "h1"), await NodeOfAsync(c, "h2"));

        await AddPodAsync(c, Pod("h3", hostPort: "8080"));
        await UnschedulableAsync(c, "h3");
        Assert.Equal("0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption is not supported.",
            PodStatus.Condition(await PodAsync(c, "h3"), "PodScheduled")!.Str("message"));

        // Freeing the port lets it in.
        await c.Client.DeleteAsync(Kinds.Pod, "default", "h1", new DeleteRequest(GracePeriodSeconds: 0));
        await BoundAsync(c, "h3");
    }

    [Fact]
    public async Task Run_PodWithNodeNameOrOtherScheduler_Untouched()
    {
        await using var c = new TestCluster();
        await AddNodeAsync(c, Node("a"));
        _ = c.Run(NewScheduler(c));
        await AddPodAsync(c, Pod("chosen", node: "ghost"));
        await AddPodAsync(c, Pod("custom", spec: """{"schedulerName":"my-scheduler"}"""));
        await AddPodAsync(c, Pod("marker"));
        await BoundAsync(c, "marker"); // the scheduler has run past the other two

        Assert.Equal("ghost", await NodeOfAsync(c, "chosen"));
        Assert.Null(PodStatus.Condition(await PodAsync(c, "chosen"), "PodScheduled"));
        Assert.Null(await NodeOfAsync(c, "custom"));
        Assert.Null(PodStatus.Condition(await PodAsync(c, "custom"), "PodScheduled"));
        Assert.Empty(await EventsAsync(c, "chosen", "Scheduled"));
        Assert.Empty(await EventsAsync(c, "custom", "FailedScheduling"));
    }

    [Fact]
    public async Task Run_BurstOfPods_AssumedPodsKeepNodesBalanced()
    {
        await using var c = new TestCluster();
        foreach (var n in new[] { "a", "b", "c" }) await AddNodeAsync(c, Node(n, cpu: "10", pods: 20));
        // Pods exist before the scheduler starts: the first cycles run back to back, far ahead of the pod cache.
        var names = Enumerable.Range(0, 30).Select(i => $"burst-{i}").ToArray();
        foreach (var n in names) await AddPodAsync(c, Pod(n, cpu: "1"));
        _ = c.Run(NewScheduler(c));
        await BoundAsync(c, names);
        var placement = new List<string>();
        foreach (var n in names) placement.Add((await NodeOfAsync(c, n))!);
        Assert.Equal([10, 10, 10], placement.GroupBy(n => n).Select(g => g.Count()).Order());
    }

    [Fact]
    public async Task Run_NoNodeYet_BoundOnceANodeRegisters()
    {
        await using var c = new TestCluster();
        _ = c.Run(NewScheduler(c));
        await AddPodAsync(c, Pod("early"));
        await UnschedulableAsync(c, "early");
        Assert.StartsWith("0/0 nodes are available", PodStatus.Condition(await PodAsync(c, "early"), "PodScheduled")!.Str("message"));
        await AddNodeAsync(c, Node("late"));
        await BoundAsync(c, "early");
        Assert.Equal("True", PodStatus.Condition(await PodAsync(c, "early"), "PodScheduled")!.Str("status"));
    }

    [Fact]
    public async Task Run_NodeBecomesReady_PendingPodScheduled()
    {
        await using var c = new TestCluster();
        await AddNodeAsync(c, Node("n", ready: "False"));
        _ = c.Run(NewScheduler(c));
        await AddPodAsync(c, Pod("waiting"));
        await UnschedulableAsync(c, "waiting");
        var node = (await c.Client.GetAsync(Kinds.Node, null, "n"))!;
        node["status"]!["conditions"] = JsonNode.Parse("""[{"type":"Ready","status":"True"}]""");
        await c.Client.UpdateStatusAsync(Kinds.Node, node);
        await BoundAsync(c, "waiting");
    }

    [Fact]
    public async Task Run_PeriodicRetry_PodScheduledOnceTheFilterPasses()
    {
        await using var c = new TestCluster();
        await AddNodeAsync(c, Node("n"));
        var gate = new GateFilter();
        var profile = SchedulerProfile.Default() with { Filters = [.. SchedulerProfile.Default().Filters, gate] };
        _ = c.Run(NewScheduler(c, profile: profile));
        await AddPodAsync(c, Pod("gated"));
        await UnschedulableAsync(c, "gated");
        Assert.Contains("1 gate closed", PodStatus.Condition(await PodAsync(c, "gated"), "PodScheduled")!.Str("message"));

        gate.Open = true; // nothing watched changes; only the 30 s retry notices
        await Task.Delay(200);
        Assert.Null(await NodeOfAsync(c, "gated"));
        c.Time.Advance(Scheduler.RetryInterval);
        await BoundAsync(c, "gated");
    }

    private sealed class GateFilter : ISchedulerFilter
    {
        public volatile bool Open;

        public string Name => "Gate";

        public IReadOnlyList<string> Filter(JsonObject pod, NodeInfo node) => Open ? [] : ["gate closed"];
    }

    [Fact]
    public async Task Run_WriteConflictAndBindFailure_Retried()
    {
        await using var c = new TestCluster();
        var flaky = new FlakyKubeClient(c.Client) { StatusConflicts = 2, BindFailures = 2 };
        _ = c.Run(NewScheduler(c, client: flaky));
        // Retries wait on the (manual) clock: keep it moving.
        using var stop = new CancellationTokenSource();
        var ticker = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                c.Time.Advance(TimeSpan.FromMilliseconds(100));
                await Task.Delay(10);
            }
        });
        await AddPodAsync(c, Pod("unlucky", cpu: "100"));
        await UnschedulableAsync(c, "unlucky");

        await AddNodeAsync(c, Node("n"));
        await AddPodAsync(c, Pod("retried"));
        await BoundAsync(c, "retried");
        await stop.CancelAsync();
        await ticker;
        Assert.True(flaky.BindFailures < 0 && flaky.StatusConflicts < 0);
    }

    [Fact]
    public async Task Run_RestartMidway_NewInstanceConvergesAndKeepsSpreading()
    {
        await using var c = new TestCluster();
        foreach (var n in new[] { "n1", "n2", "n3" }) await AddNodeAsync(c, Node(n));
        c.Informers.Start(c.Token);
        using (var firstTerm = CancellationTokenSource.CreateLinkedTokenSource(c.Token))
        {
            var first = NewScheduler(c);
            _ = Task.Run(() => ((IController)first).RunAsync(firstTerm.Token));
            for (var i = 0; i < 3; i++) await AddPodAsync(c, Pod($"rs-{i}", ownerUid: "rs"));
            await BoundAsync(c, "rs-0", "rs-1", "rs-2");
            await firstTerm.CancelAsync();
            first.Dispose();
        }
        for (var i = 3; i < 9; i++) await AddPodAsync(c, Pod($"rs-{i}", ownerUid: "rs"));

        // A new leadership term: new informers, new scheduler, nothing carried over in memory.
        var informers = new InformerFactory(c.Client, c.Time, NullLoggerFactory.Instance);
        _ = c.Run(NewScheduler(c, informers: informers));
        informers.Start(c.Token);
        var names = Enumerable.Range(0, 9).Select(i => $"rs-{i}").ToArray();
        await BoundAsync(c, names);
        var placement = new List<string>();
        foreach (var n in names) placement.Add((await NodeOfAsync(c, n))!);
        Assert.Equal([3, 3, 3], placement.GroupBy(n => n).Select(g => g.Count()));
    }
}
