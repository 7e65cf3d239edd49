using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.ReplicaSets.Workloads;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

public class ReplicationManagerTests
{
    private static readonly ResourceKind Rc = Kinds.ReplicationController;

    [Fact]
    public async Task Sync_MapSelector_KeepsReplicasAndReleasesRelabelledPods()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicationControllers(cluster);
        var rc = await cluster.Client.CreateAsync(Rc, Ns,
            ReplicationController("legacy", 2, new() { ["app"] = "legacy" }, new() { ["app"] = "legacy", ["track"] = "stable" }));

        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rc, "legacy"), "replicas") == 2, "two pods run");
        var pods = await OwnedPodsAsync(cluster, rc);
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p =>
        {
            var controllerRef = OwnerReferences.ControllerOf(p)!;
            Assert.Equal("ReplicationController", controllerRef.Str("kind"));
            Assert.Equal("v1", controllerRef.Str("apiVersion"));
            Assert.Equal("legacy", controllerRef.Str("name"));
            Assert.StartsWith("legacy-", p.Name());
        });

        await cluster.Client.PatchAsync(Kinds.Pod, Ns, pods[0].Name()!, Orchestrator.Core.Client.PatchType.Merge,
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "debug" } } });
        await TestCluster.EventuallyAsync(async () =>
            (await OwnedPodsAsync(cluster, rc)).Count == 2 && (await PodsAsync(cluster)).Count == 3, "released and replaced");
        Assert.Null(OwnerReferences.ControllerOf(await GetAsync(cluster, Kinds.Pod, pods[0].Name()!)));

        await ScaleAsync(cluster, Rc, "legacy", 0);
        await TestCluster.EventuallyAsync(async () => (await OwnedPodsAsync(cluster, rc)).Count == 0, "scaled to zero");
        await TestCluster.EventuallyAsync(async () =>
        {
            var current = await GetAsync(cluster, Rc, "legacy");
            return Status(current, "replicas") == 0 && Status(current, "observedGeneration") == 2;
        }, "status follows");
        Assert.Single(await PodsAsync(cluster)); // the released pod is nobody's to delete
    }

    [Fact]
    public async Task Sync_SelectorDefaultedFromTemplate_AdoptsMatchingOrphan()
    {
        await using var cluster = new TestCluster();
        await cluster.Client.CreateAsync(Kinds.Pod, Ns, OrphanPod("old-one", new() { ["app"] = "batch" }));
        await using var run = ControllerRun.ReplicationControllers(cluster);
        var rc = await cluster.Client.CreateAsync(Rc, Ns, ReplicationController("batch", 3, null, new() { ["app"] = "batch" }));
        Assert.Equal("batch", rc["spec"]?["selector"].Str("app"));

        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rc, "batch"), "replicas") == 3, "three pods");
        Assert.True(OwnerReferences.IsControlledBy(await GetAsync(cluster, Kinds.Pod, "old-one"), rc));
        await Workloads.StaysAsync(async () => (await PodsAsync(cluster)).Count == 3, "the orphan counts as one of three");
    }

    [Fact]
    public async Task Sync_ReplicaSetController_IgnoresReplicationControllers()
    {
        await using var cluster = new TestCluster();
        await using var rsRun = ControllerRun.ReplicaSets(cluster);
        await using var rcRun = ControllerRun.ReplicationControllers(cluster);
        var rc = await cluster.Client.CreateAsync(Rc, Ns, ReplicationController("legacy", 2, null, new() { ["app"] = "web", ["tier"] = "frontend" }));
        var rs = await cluster.Client.CreateAsync(Kinds.ReplicaSet, Ns, ReplicaSet("web", 1));

        // Both select app=web,tier=frontend pods: each keeps its own, neither steals the other's.
        await TestCluster.EventuallyAsync(async () =>
            (await OwnedPodsAsync(cluster, rc)).Count == 2 && (await OwnedPodsAsync(cluster, rs)).Count == 1, "each has its pods");
        await Workloads.StaysAsync(async () => (await PodsAsync(cluster)).Count == 3, "three pods in all");
    }
}
