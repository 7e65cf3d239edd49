using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.GarbageCollection;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.GarbageCollection;

public sealed class GarbageCollectorTests
{
    /// <summary>One controller term: its own informers and work queue, stopped by disposing.</summary>
    private sealed class Term : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        public GarbageCollector Gc { get; }
        public Task Run { get; }

        public Term(TestCluster c, IKubeClient? client = null)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(c.Token);
            var informers = new InformerFactory(c.Client, c.Time, NullLoggerFactory.Instance);
            Gc = new GarbageCollector(informers, client ?? c.Client, c.Time, NullLogger<GarbageCollector>.Instance);
            informers.Start(_cts.Token);
            Run = Task.Run(() => Gc.RunAsync(_cts.Token));
        }

        public void Dispose()
        {
            _cts.Cancel();
            Gc.Dispose();
            _cts.Dispose();
        }
    }

    private static async Task<bool> Exists(TestCluster c, ResourceKind kind, string name, string ns = "default") =>
        await c.Client.GetAsync(kind, ns, name) != null;

    private static async Task<JsonObject> Create(TestCluster c, ResourceKind kind, JsonObject obj) =>
        await c.Client.CreateAsync(kind, obj.Namespace(), obj);

    [Fact]
    public async Task Background_DeletingReplicaSet_DeletesItsPodsOnly()
    {
        await using var c = new TestCluster();
        var rs = await Create(c, Kinds.ReplicaSet, GcObjects.ReplicaSet("web"));
        for (var i = 0; i < 3; i++) await Create(c, Kinds.Pod, GcObjects.Pod($"web-{i}", ownerRefs: GcObjects.Ref(rs)));
        await Create(c, Kinds.Pod, GcObjects.Pod("bystander"));
        using var term = new Term(c);

        await c.Client.DeleteAsync(Kinds.ReplicaSet, "default", "web", new DeleteRequest("Background"));

        await TestCluster.EventuallyAsync(async () =>
            !await Exists(c, Kinds.Pod, "web-0") && !await Exists(c, Kinds.Pod, "web-1") && !await Exists(c, Kinds.Pod, "web-2"),
            "the replica set's pods are collected");
        Assert.True(await Exists(c, Kinds.Pod, "bystander"));
    }

    [Fact]
    public async Task Background_Chain_CollectsEveryLevel()
    {
        await using var c = new TestCluster();
        var a = await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("a"));
        var b = await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("b", ownerRefs: GcObjects.Ref(a)));
        await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("c", ownerRefs: GcObjects.Ref(b)));
        using var term = new Term(c);

        await c.Client.DeleteAsync(Kinds.ConfigMap, "default", "a");

        await TestCluster.EventuallyAsync(async () => !await Exists(c, Kinds.ConfigMap, "b") && !await Exists(c, Kinds.ConfigMap, "c"),
            "both levels below the deleted owner are collected");
    }

    [Theory]
    [InlineData("default", "00000000-0000-0000-0000-000000000000", false)] // owner uid nobody holds
    [InlineData("other", null, false)]                                      // owner exists, but in another namespace
    [InlineData("default", null, true)]                                     // owner exists where the reference says
    public async Task DependentAtStartup_IsKeptOnlyWithALiveOwner(string dependentNs, string? uid, bool kept)
    {
        await using var c = new TestCluster();
        await c.Client.CreateAsync(Kinds.Namespace, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "other" } });
        var owner = await Create(c, Kinds.ReplicaSet, GcObjects.ReplicaSet("owner"));
        var reference = GcObjects.Ref(owner);
        if (uid != null) reference["uid"] = uid;
        await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("dep", dependentNs, reference));
        await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("marker", dependentNs,
            GcObjects.Ref("v1", "ConfigMap", "gone", "11111111-1111-1111-1111-111111111111")));
        using var term = new Term(c);

        // The marker always goes; once it has, the dependent has been judged too (same queue, queued earlier or together).
        await TestCluster.EventuallyAsync(async () => !await Exists(c, Kinds.ConfigMap, "marker", dependentNs), "the marker is collected");
        if (kept)
        {
            await Task.Delay(200);
            Assert.True(await Exists(c, Kinds.ConfigMap, "dep", dependentNs));
        }
        else
        {
            await TestCluster.EventuallyAsync(async () => !await Exists(c, Kinds.ConfigMap, "dep", dependentNs), "the dependent is collected");
        }
    }

    [Fact]
    public async Task FreshOwners_NotYetInTheCaches_AreVerifiedLiveAndTheirDependentsKept()
    {
        await using var c = new TestCluster();
        using var term = new Term(c);
        await Task.Delay(100);
        for (var i = 0; i < 20; i++)
        {
            var owner = await Create(c, Kinds.ReplicaSet, GcObjects.ReplicaSet($"rs-{i}"));
            await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap($"dep-{i}", ownerRefs: GcObjects.Ref(owner)));
        }
        await TestCluster.EventuallyAsync(() => Task.FromResult(term.Gc.Graph.Count >= 43), "the graph sees everything"); // + 3 namespaces
        await Task.Delay(300);
        for (var i = 0; i < 20; i++) Assert.True(await Exists(c, Kinds.ConfigMap, $"dep-{i}"), $"dep-{i} survives");
    }

    [Fact]
    public async Task TwoOwners_LosingOneKeepsTheDependentAndDropsTheReference_LosingBothDeletesIt()
    {
        await using var c = new TestCluster();
        var a = await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("a"));
        var b = await Create(c, Kinds.ReplicaSet, GcObjects.ReplicaSet("b"));
        await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("dep", ownerRefs: [GcObjects.Ref(a), GcObjects.Ref(b, controller: false)]));
        using var term = new Term(c);

        await c.Client.DeleteAsync(Kinds.ConfigMap, "default", "a");
        await TestCluster.EventuallyAsync(async () =>
            (await c.Client.GetAsync(Kinds.ConfigMap, "default", "dep"))?["metadata"]?["ownerReferences"] is JsonArray { Count: 1 } refs &&
            refs[0].Str("uid") == b.Uid(), "the reference to the vanished owner is dropped");
        Assert.True(await Exists(c, Kinds.ConfigMap, "dep"));

        await c.Client.DeleteAsync(Kinds.ReplicaSet, "default", "b");
        await TestCluster.EventuallyAsync(async () => !await Exists(c, Kinds.ConfigMap, "dep"), "the dependent goes with its last owner");
    }

    [Fact]
    public async Task Foreground_OwnerWaitsForBlockingDependents_NonBlockingOnesGoToo()
    {
        await using var c = new TestCluster();
        var rs = await Create(c, Kinds.ReplicaSet, GcObjects.ReplicaSet("web"));
        await Create(c, Kinds.Pod, GcObjects.Pod("web-a", nodeName: "n1", ownerRefs: GcObjects.Ref(rs)));
        await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("web-cfg", ownerRefs: GcObjects.Ref(rs, controller: false, block: false)));
        using var term = new Term(c);

        await c.Client.DeleteAsync(Kinds.ReplicaSet, "default", "web", new DeleteRequest("Foreground"));

        // The bound pod terminates gracefully (its node confirms later); the non-blocking config map just goes.
        await TestCluster.EventuallyAsync(async () =>
            (await c.Client.GetAsync(Kinds.Pod, "default", "web-a"))?["metadata"]?["deletionTimestamp"] != null &&
            !await Exists(c, Kinds.ConfigMap, "web-cfg"), "the dependents are being deleted");
        await Task.Delay(200);
        var owner = await c.Client.GetAsync(Kinds.ReplicaSet, "default", "web");
        Assert.NotNull(owner);
        Assert.True(Finalizers.Has(owner!, Finalizers.ForegroundDeletion));

        await c.Client.DeleteAsync(Kinds.Pod, "default", "web-a", new DeleteRequest(null, 0)); // the node confirms
        await TestCluster.EventuallyAsync(async () => !await Exists(c, Kinds.ReplicaSet, "web"), "the owner goes once the blocking pod is gone");
    }

    [Fact]
    public async Task Foreground_Recursive_MiddleOwnerAlsoWaits()
    {
        await using var c = new TestCluster();
        var top = await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("top"));
        var mid = await Create(c, Kinds.ReplicaSet, GcObjects.ReplicaSet("mid"));
        // mid is owned by top (blocking); the pod by mid.
        var midRef = GcObjects.Ref(top);
        var midObj = (await c.Client.GetAsync(Kinds.ReplicaSet, "default", "mid"))!;
        midObj.Metadata()["ownerReferences"] = new JsonArray(midRef);
        await c.Client.UpdateAsync(Kinds.ReplicaSet, midObj);
        await Create(c, Kinds.Pod, GcObjects.Pod("leaf", nodeName: "n1", ownerRefs: GcObjects.Ref(mid)));
        using var term = new Term(c);

        await c.Client.DeleteAsync(Kinds.ConfigMap, "default", "top", new DeleteRequest("Foreground"));

        await TestCluster.EventuallyAsync(async () =>
            (await c.Client.GetAsync(Kinds.ReplicaSet, "default", "mid")) is { } m && Finalizers.Has(m, Finalizers.ForegroundDeletion) &&
            (await c.Client.GetAsync(Kinds.Pod, "default", "leaf"))?["metadata"]?["deletionTimestamp"] != null,
            "the middle owner is deleted in the foreground and the leaf is terminating");
        Assert.True(await Exists(c, Kinds.ConfigMap, "top"));

        await c.Client.DeleteAsync(Kinds.Pod, "default", "leaf", new DeleteRequest(null, 0));
        await TestCluster.EventuallyAsync(async () => !await Exists(c, Kinds.ReplicaSet, "mid") && !await Exists(c, Kinds.ConfigMap, "top"),
            "the whole chain goes bottom-up");
    }

    [Fact]
    public async Task Foreground_UnboundPodDependent_IsRemovedCompletely()
    {
        await using var c = new TestCluster();
        var rs = await Create(c, Kinds.ReplicaSet, GcObjects.ReplicaSet("web"));
        await Create(c, Kinds.Pod, GcObjects.Pod("web-a", ownerRefs: GcObjects.Ref(rs)));
        using var term = new Term(c);

        // A pod deleted in the foreground itself gets the finalizer; nobody (no node) would confirm it.
        await c.Client.DeleteAsync(Kinds.Pod, "default", "web-a", new DeleteRequest("Foreground"));
        await TestCluster.EventuallyAsync(async () => !await Exists(c, Kinds.Pod, "web-a"), "the unbound pod is gone");
        Assert.True(await Exists(c, Kinds.ReplicaSet, "web"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)] // writes that first meet a conflict are re-read and retried
    public async Task Orphan_DependentsLoseTheirReferenceAndStay(int conflicts)
    {
        await using var c = new TestCluster();
        var rs = await Create(c, Kinds.ReplicaSet, GcObjects.ReplicaSet("web"));
        var other = await Create(c, Kinds.ConfigMap, GcObjects.ConfigMap("other"));
        await Create(c, Kinds.Pod, GcObjects.Pod("web-0", ownerRefs: GcObjects.Ref(rs)));
        await Create(c, Kinds.Pod, GcObjects.Pod("web-1", ownerRefs: [GcObjects.Ref(rs), GcObjects.Ref(other, controller: false)]));
        var client = new ConflictingClient(c.Client, conflicts);
        using var term = new Term(c, client);

        await c.Client.DeleteAsync(Kinds.ReplicaSet, "default", "web", new DeleteRequest("Orphan"));

        await TestCluster.EventuallyAsync(async () => !await Exists(c, Kinds.ReplicaSet, "web"), "the owner goes");
        var web0 = await c.Client.GetAsync(Kinds.Pod, "default", "web-0");
        var web1 = await c.Client.GetAsync(Kinds.Pod, "default", "web-1");
        Assert.NotNull(web0);
        Assert.Null(web0!["metadata"]?["ownerReferences"]);
        Assert.NotNull(web1);
        var refs = Assert.IsType<JsonArray>(web1!["metadata"]?["ownerReferences"]);
        Assert.Equal(other.Uid(), Assert.Single(refs).Str("uid"));
        Assert.Equal(conflicts, client.Conflicts);
    }

    [Fact]
    public async Task Restart_MidForegroundDeletion_NewInstanceFinishesIt()
    {
        await using var c = new TestCluster();
        var rs = await Create(c, Kinds.ReplicaSet, GcObjects.ReplicaSet("web"));
        await Create(c, Kinds.Pod, GcObjects.Pod("web-a", nodeName: "n1", ownerRefs: GcObjects.Ref(rs)));
        await Create(c, Kinds.Pod, GcObjects.Pod("web-b", nodeName: "n1", ownerRefs: GcObjects.Ref(rs)));
        var first = new Term(c);
        await c.Client.DeleteAsync(Kinds.ReplicaSet, "default", "web", new DeleteRequest("Foreground"));
        await TestCluster.EventuallyAsync(async () =>
            (await c.Client.GetAsync(Kinds.Pod, "default", "web-a"))?["metadata"]?["deletionTimestamp"] != null,
            "the first instance starts deleting dependents");
        first.Dispose();

        // While no collector runs, the node confirms both pods.
        await c.Client.DeleteAsync(Kinds.Pod, "default", "web-a", new DeleteRequest(null, 0));
        try
        {
            await c.Client.DeleteAsync(Kinds.Pod, "default", "web-b", new DeleteRequest(null, 0));
        }
        catch (Orchestrator.Core.Errors.ApiException e) when (e.Code == 404)
        {
        }
        Assert.True(await Exists(c, Kinds.ReplicaSet, "web"));

        using var second = new Term(c);
        await TestCluster.EventuallyAsync(async () => !await Exists(c, Kinds.ReplicaSet, "web"), "the new instance removes the finalizer");
    }
}
