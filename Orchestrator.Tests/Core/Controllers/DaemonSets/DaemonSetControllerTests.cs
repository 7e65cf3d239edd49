using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.DaemonSets;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Core.Controllers.Jobs;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.Jobs.WorkloadTestKit;

namespace Orchestrator.Tests.Core.Controllers.DaemonSets;

public class DaemonSetControllerTests
{
    private const string Selector = "app=agent";

    private static DaemonSetController NewController(TestCluster c, IKubeClient? client = null) =>
        new(c.Informers, client ?? c.Client, c.Events, c.Time, NullLogger<DaemonSetController>.Instance);

    private static JsonObject NewDaemonSet(string image = "agent:1", Action<JsonObject>? edit = null)
    {
        var ds = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "DaemonSet",
            ["metadata"] = new JsonObject { ["name"] = "agent", ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "agent" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "agent" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(Container(image)) },
                },
            },
        };
        edit?.Invoke(ds);
        return ds;
    }

    private static async Task<JsonObject> DaemonSetAsync(TestCluster c) =>
        await c.Client.GetAsync(Kinds.DaemonSet, Ns, "agent") ?? throw new InvalidOperationException("gone");

    private static async Task SetImageAsync(TestCluster c, string image)
    {
        await UpdateAsync(c, Kinds.DaemonSet, Ns, "agent", ds => ds["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image);
    }

    private static async Task<Dictionary<string, List<JsonObject>>> PodsByNodeAsync(TestCluster c) =>
        (await PodsAsync(c, Selector)).GroupBy(p => DaemonPods.TargetNode(p) ?? "").ToDictionary(g => g.Key, g => g.ToList());

    private static async Task<bool> OnePodOnEachAsync(TestCluster c, params string[] nodes)
    {
        var byNode = await PodsByNodeAsync(c);
        return byNode.Count == nodes.Length && nodes.All(n => byNode.TryGetValue(n, out var pods) && pods.Count == 1);
    }

    private static async Task MakeAllReadyAsync(TestCluster c)
    {
        foreach (var pod in await PodsAsync(c, Selector))
            if (!PodStatus.IsReady(pod)) await SetPodAsync(c, pod.Name()!, "Running", ready: true);
    }

    [Fact]
    public async Task ThreeNodes_OnePodEach_PinnedThroughNodeAffinity()
    {
        await using var c = new TestCluster();
        foreach (var n in new[] { "n1", "n2", "n3" }) await CreateNodeAsync(c, n);
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet());

        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2", "n3"), "one pod per node");
        var ds = await DaemonSetAsync(c);
        var revisions = (await c.Client.ListAsync(Kinds.ControllerRevision, Ns)).Items;
        var revision = Assert.Single(revisions);
        var hash = revision.Labels()[DaemonPods.RevisionHashLabel];
        Assert.Equal($"agent-{hash}", revision.Name());
        Assert.Equal(1, revision.Long("revision"));
        Assert.Equal("replace", revision["data"]!["spec"]!["template"].Str("$patch"));
        Assert.True(OwnerReferences.IsControlledBy(revision, ds));

        foreach (var pod in await PodsAsync(c, Selector))
        {
            Assert.StartsWith("agent-", pod.Name());
            Assert.True(OwnerReferences.IsControlledBy(pod, ds));
            Assert.Equal(hash, pod.Labels()[DaemonPods.RevisionHashLabel]);
            Assert.Equal("1", pod.Labels()[DaemonPods.TemplateGenerationLabel]);
            Assert.Null(pod["spec"].Str("nodeName")); // the scheduler binds it
            var field = pod["spec"].At("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")!["nodeSelectorTerms"]![0]!["matchFields"]![0]!;
            Assert.Equal("metadata.name", field.Str("key"));
            Assert.Equal("In", field.Str("operator"));
            var tolerations = pod["spec"]!["tolerations"]!.AsArray().OfType<JsonObject>().ToList();
            foreach (var key in new[] { "not-ready", "unreachable" })
                Assert.Contains(tolerations, t => t.Str("key") == $"node.kubernetes.io/{key}" && t.Str("effect") == "NoExecute" && t["tolerationSeconds"] is null);
            foreach (var key in new[] { "disk-pressure", "memory-pressure", "pid-pressure", "unschedulable" })
                Assert.Contains(tolerations, t => t.Str("key") == $"node.kubernetes.io/{key}" && t.Str("effect") == "NoSchedule");
        }
        await EventuallyWithRetriesAsync(c, async () => (await DaemonSetAsync(c))["status"].Long("currentNumberScheduled") == 3, "status counts the pods");
        Assert.True(await HasEventAsync(c, "agent", "SuccessfulCreate"));
    }

    [Fact]
    public async Task Nodes_ComeAndGo_PodsFollow()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        await CreateNodeAsync(c, "down", ready: false);
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet());
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1"), "a pod on the ready node only");

        await CreateNodeAsync(c, "n2");
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2"), "the new node gets a pod");

        await c.Client.DeleteAsync(Kinds.Node, null, "n1");
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n2"), "the deleted node's pod goes");
    }

    [Theory]
    [InlineData("NoSchedule", false, false)]
    [InlineData("NoExecute", false, false)]
    [InlineData("NoSchedule", true, true)]
    [InlineData("PreferNoSchedule", false, true)]
    public async Task TaintedNode_PodOnlyWhenTolerated(string effect, bool tolerate, bool expectPod)
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "plain");
        await CreateNodeAsync(c, "tainted", taints: new JsonArray(new JsonObject { ["key"] = "dedicated", ["value"] = "db", ["effect"] = effect }));
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet(edit: ds =>
        {
            if (tolerate)
                ds["spec"]!["template"]!["spec"]!["tolerations"] = new JsonArray(new JsonObject
                    { ["key"] = "dedicated", ["operator"] = "Equal", ["value"] = "db", ["effect"] = effect });
        }));
        var expected = expectPod ? new[] { "plain", "tainted" } : ["plain"];
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, expected), "pods on " + string.Join(",", expected));
        await EventuallyWithRetriesAsync(c, async () => (await DaemonSetAsync(c))["status"].Long("desiredNumberScheduled") == expected.Length, "desired counts eligible nodes");
    }

    [Fact]
    public async Task TaintAddedLater_NoExecuteEvicts_NoScheduleKeeps()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "a");
        await CreateNodeAsync(c, "b");
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet());
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "a", "b"), "pods on both");

        foreach (var (node, effect) in new[] { ("a", "NoSchedule"), ("b", "NoExecute") })
        {
            await UpdateAsync(c, Kinds.Node, null, node, n =>
                n.Obj("spec")["taints"] = new JsonArray(new JsonObject { ["key"] = "maintenance", ["effect"] = effect }));
        }
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "a"), "NoExecute removes b's pod; NoSchedule keeps a's");
    }

    [Fact]
    public async Task NodeSelectorAndRequiredAffinity_Respected()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "ssd-linux", labels: new Dictionary<string, string> { ["disk"] = "ssd", ["kubernetes.io/os"] = "linux" });
        await CreateNodeAsync(c, "ssd-win", labels: new Dictionary<string, string> { ["disk"] = "ssd", ["kubernetes.io/os"] = "windows" });
        await CreateNodeAsync(c, "hdd-linux", labels: new Dictionary<string, string> { ["disk"] = "hdd", ["kubernetes.io/os"] = "linux" });
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet(edit: ds =>
        {
            var spec = ds["spec"]!["template"]!["spec"]!.AsObject();
            spec["nodeSelector"] = new JsonObject { ["disk"] = "ssd" };
            spec["affinity"] = JsonNode.Parse("""
                {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchExpressions":[{"key":"kubernetes.io/os","operator":"In","values":["linux"]}]}]}}}
                """);
        }));
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "ssd-linux"), "only the ssd linux node");
    }

    [Fact]
    public async Task Status_CountsReadyAndAvailable()
    {
        await using var c = new TestCluster();
        foreach (var n in new[] { "n1", "n2", "n3" }) await CreateNodeAsync(c, n);
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet());
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2", "n3"), "one pod per node");
        var pods = await PodsAsync(c, Selector);
        await SetPodAsync(c, pods[0].Name()!, "Running", ready: true);
        await SetPodAsync(c, pods[1].Name()!, "Running", ready: true);

        await EventuallyWithRetriesAsync(c, async () => (await DaemonSetAsync(c))["status"].Long("numberReady") == 2, "two ready");
        var status = (await DaemonSetAsync(c))["status"]!;
        Assert.Equal(3, status.Long("desiredNumberScheduled"));
        Assert.Equal(3, status.Long("currentNumberScheduled"));
        Assert.Equal(0, status.Long("numberMisscheduled"));
        Assert.Equal(2, status.Long("numberAvailable"));
        Assert.Equal(1, status.Long("numberUnavailable"));
        Assert.Equal(3, status.Long("updatedNumberScheduled"));
        Assert.Equal(1, status.Long("observedGeneration"));
    }

    [Fact]
    public async Task RollingUpdate_ReplacesOneNodeAtATime()
    {
        await using var c = new TestCluster();
        foreach (var n in new[] { "n1", "n2", "n3" }) await CreateNodeAsync(c, n);
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet("agent:1"));
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2", "n3"), "one pod per node");
        await MakeAllReadyAsync(c);
        await EventuallyWithRetriesAsync(c, async () => (await DaemonSetAsync(c))["status"].Long("numberAvailable") == 3, "all available");

        await SetImageAsync(c, "agent:2");
        for (var updated = 1; updated <= 3; updated++)
        {
            var want = updated;
            await EventuallyWithRetriesAsync(c, async () =>
            {
                var pods = await PodsAsync(c, Selector);
                return pods.Count == 3 && pods.Count(IsNew) == want && await OnePodOnEachAsync(c, "n1", "n2", "n3");
            }, $"{want} node(s) updated");
            await Task.Delay(150);
            // maxUnavailable 1: nothing else goes while the new pod is not ready.
            var snapshot = await PodsAsync(c, Selector);
            Assert.Equal(want, snapshot.Count(IsNew));
            Assert.Equal(3, snapshot.Count);
            await MakeAllReadyAsync(c);
        }
        await EventuallyWithRetriesAsync(c, async () => (await DaemonSetAsync(c))["status"].Long("updatedNumberScheduled") == 3 &&
                                                      (await DaemonSetAsync(c))["status"].Long("numberAvailable") == 3, "rollout complete");
        var revisions = (await c.Client.ListAsync(Kinds.ControllerRevision, Ns)).Items;
        Assert.Equal(2, revisions.Count);
        Assert.Equal(2, revisions.Max(r => r.Long("revision")));
        Assert.All(await PodsAsync(c, Selector), p => Assert.Equal("2", p.Labels()[DaemonPods.TemplateGenerationLabel]));
        return;

        static bool IsNew(JsonObject pod) => pod["spec"]!["containers"]![0].Str("image") == "agent:2";
    }

    [Fact]
    public async Task RollingUpdate_MaxSurge_NewPodBesideOldUntilAvailable()
    {
        await using var c = new TestCluster();
        foreach (var n in new[] { "n1", "n2" }) await CreateNodeAsync(c, n);
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet("agent:1", ds =>
            ds["spec"]!["updateStrategy"] = new JsonObject
            {
                ["type"] = "RollingUpdate",
                ["rollingUpdate"] = new JsonObject { ["maxSurge"] = 1, ["maxUnavailable"] = 0 },
            }));
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2"), "one pod per node");
        await MakeAllReadyAsync(c);
        await EventuallyWithRetriesAsync(c, async () => (await DaemonSetAsync(c))["status"].Long("numberAvailable") == 2, "all available");

        await SetImageAsync(c, "agent:2");
        for (var updated = 1; updated <= 2; updated++)
        {
            var want = updated;
            await EventuallyWithRetriesAsync(c, async () =>
            {
                var pods = await PodsAsync(c, Selector);
                return pods.Count(IsNew) == want && pods.Count == 3;
            }, $"surge {want}: a new pod beside the old one");
            await Task.Delay(150);
            var snapshot = await PodsAsync(c, Selector);
            Assert.Equal(3, snapshot.Count); // the old pod stays until its successor is available
            Assert.Equal(want, snapshot.Count(IsNew));
            await MakeAllReadyAsync(c);
            await EventuallyWithRetriesAsync(c, async () => (await PodsAsync(c, Selector)).Count(p => !IsNew(p)) == 2 - want, "the replaced old pod goes");
        }
        await EventuallyWithRetriesAsync(c, async () => (await PodsAsync(c, Selector)).All(IsNew) && await OnePodOnEachAsync(c, "n1", "n2"), "all new");
        return;

        static bool IsNew(JsonObject pod) => pod["spec"]!["containers"]![0].Str("image") == "agent:2";
    }

    [Fact]
    public async Task RollBack_ReusesAndRenumbersTheOldRevision()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet("agent:1"));
        await EventuallyWithRetriesAsync(c, async () => (await c.Client.ListAsync(Kinds.ControllerRevision, Ns)).Items.Count == 1, "revision 1");
        await SetImageAsync(c, "agent:2");
        await EventuallyWithRetriesAsync(c, async () => (await c.Client.ListAsync(Kinds.ControllerRevision, Ns)).Items.Count == 2, "revision 2");
        await SetImageAsync(c, "agent:1");
        await EventuallyWithRetriesAsync(c, async () => (await c.Client.ListAsync(Kinds.ControllerRevision, Ns)).Items
            .Any(r => r.Long("revision") == 3 && r["data"]!.ToJsonString().Contains("agent:1")), "the first template becomes revision 3");
        Assert.Equal(2, (await c.Client.ListAsync(Kinds.ControllerRevision, Ns)).Items.Count);
    }

    [Fact]
    public async Task OnDelete_WaitsForTheUserToDeletePods()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        await CreateNodeAsync(c, "n2");
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet("agent:1", ds =>
            ds["spec"]!["updateStrategy"] = new JsonObject { ["type"] = "OnDelete" }));
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2"), "one pod per node");
        await MakeAllReadyAsync(c);

        await SetImageAsync(c, "agent:2");
        await EventuallyWithRetriesAsync(c, async () => (await c.Client.ListAsync(Kinds.ControllerRevision, Ns)).Items.Count == 2, "new revision");
        await Task.Delay(200);
        Assert.All(await PodsAsync(c, Selector), p => Assert.Equal("agent:1", p["spec"]!["containers"]![0].Str("image")));

        var onN1 = (await PodsByNodeAsync(c))["n1"].Single();
        await c.Client.DeleteAsync(Kinds.Pod, Ns, onN1.Name()!);
        await EventuallyWithRetriesAsync(c, async () =>
            (await PodsByNodeAsync(c)).GetValueOrDefault("n1") is [var p] && p["spec"]!["containers"]![0].Str("image") == "agent:2", "n1's replacement has the new template");
        Assert.Equal("agent:1", (await PodsByNodeAsync(c))["n2"].Single()["spec"]!["containers"]![0].Str("image"));
    }

    [Fact]
    public async Task ExtraAndFailedPods_AreReplacedByOne()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet());
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1"), "one pod");
        var original = (await PodsAsync(c, Selector)).Single();

        var extra = original.Clone();
        extra.Metadata().Remove("name");
        extra.Metadata().Remove("uid");
        extra.Metadata().Remove("resourceVersion");
        extra.Metadata().Remove("creationTimestamp");
        extra.Remove("status");
        await c.Client.CreateAsync(Kinds.Pod, Ns, extra);
        await EventuallyWithRetriesAsync(c, async () => await OnePodOnEachAsync(c, "n1") && (await PodsAsync(c, Selector)).Count == 1, "the extra pod is deleted");

        var survivor = (await PodsAsync(c, Selector)).Single();
        await SetPodAsync(c, survivor.Name()!, "Failed");
        await EventuallyWithRetriesAsync(c, async () => (await PodsAsync(c, Selector)) is [var p] && p.Name() != survivor.Name() && PodStatus.IsActive(p),
            "the failed pod is replaced");
    }

    [Fact]
    public async Task Orphans_AdoptedWhenMatching_ReleasedWhenRelabelled()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        await CreateNodeAsync(c, "n2");
        var orphan = await c.Client.CreateAsync(Kinds.Pod, Ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "left-behind", ["labels"] = new JsonObject { ["app"] = "agent" } },
            ["spec"] = new JsonObject { ["nodeName"] = "n1", ["containers"] = new JsonArray(Container("agent:1")) },
        });
        await SetPodAsync(c, orphan.Name()!, "Running", ready: true);
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet("agent:1", ds =>
            ds["spec"]!["updateStrategy"] = new JsonObject { ["type"] = "OnDelete" }));

        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2"), "the orphan covers n1, a new pod n2");
        var ds = await DaemonSetAsync(c);
        await EventuallyWithRetriesAsync(c, async () => OwnerReferences.IsControlledBy((await c.Client.GetAsync(Kinds.Pod, Ns, "left-behind"))!, ds), "the orphan is adopted");

        await UpdateAsync(c, Kinds.Pod, Ns, "left-behind", p => p["metadata"]!["labels"]!["app"] = "debugging");
        await EventuallyWithRetriesAsync(c, async () => OwnerReferences.ControllerOf((await c.Client.GetAsync(Kinds.Pod, Ns, "left-behind"))!) == null, "the relabelled pod is released");
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2"), "n1 gets a pod of its own");
        Assert.NotNull(await c.Client.GetAsync(Kinds.Pod, Ns, "left-behind"));
    }

    [Fact]
    public async Task Restart_MidWay_NewInstanceConverges()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        await CreateNodeAsync(c, "n2");
        var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet());
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2"), "one pod per node");
        await run.CancelAsync();
        run.Dispose();

        // While no controller runs: a node joins, a pod is deleted.
        await CreateNodeAsync(c, "n3");
        await c.Client.DeleteAsync(Kinds.Pod, Ns, (await PodsByNodeAsync(c))["n1"].Single().Name()!);
        using var run2 = Start(c, NewController(c));
        await EventuallyWithRetriesAsync(c, () => OnePodOnEachAsync(c, "n1", "n2", "n3"), "converged after restart");
        await Task.Delay(200);
        Assert.Equal(3, (await PodsAsync(c, Selector)).Count);
        Assert.Single((await c.Client.ListAsync(Kinds.ControllerRevision, Ns)).Items);
    }

    [Fact]
    public async Task StatusWriteConflict_Retried()
    {
        await using var c = new TestCluster();
        await CreateNodeAsync(c, "n1");
        var client = new FailingClient(c.Client, "DaemonSet", conflicts: 2);
        using var run = Start(c, NewController(c, client));
        await c.Client.CreateAsync(Kinds.DaemonSet, Ns, NewDaemonSet());
        await EventuallyWithRetriesAsync(c, async () => (await DaemonSetAsync(c))["status"].Long("desiredNumberScheduled") == 1, "status written after conflicts");
        Assert.Equal(2, client.Conflicts);
        Assert.True(await OnePodOnEachAsync(c, "n1"));
    }
}
