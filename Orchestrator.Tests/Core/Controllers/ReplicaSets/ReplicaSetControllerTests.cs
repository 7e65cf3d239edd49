using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Controllers.ReplicaSets;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.ReplicaSets.Workloads;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

public class ReplicaSetControllerTests
{
    private static readonly ResourceKind Rs = Kinds.ReplicaSet;

    [Fact]
    public async Task Sync_ScaleFromZeroToThree_CreatesExactlyThreeEvenWhileThePodCacheLags()
    {
        await using var cluster = new TestCluster();
        var lagging = new FaultyClient(cluster.Client);
        await using var run = ControllerRun.ReplicaSets(cluster, informerClient: lagging);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 0));
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "observedGeneration") == 1, "the empty set is observed");

        lagging.HoldPodEvents();
        await ScaleAsync(cluster, Rs, "web", 3);
        await TestCluster.EventuallyAsync(async () => (await PodsAsync(cluster)).Count >= 3, "three pods are created");
        Assert.Equal(3, (await PodsAsync(cluster)).Count);

        // Each spec change forces another sync while the cache still shows no pod; only expectations stop a second round.
        for (var generation = 3; generation <= 5; generation++)
        {
            await cluster.Client.PatchAsync(Rs, Ns, "web", PatchType.Merge, new JsonObject { ["spec"] = new JsonObject { ["minReadySeconds"] = generation } });
            var expected = generation;
            await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "observedGeneration") == expected, $"generation {expected} is synced");
            Assert.Equal(3, (await PodsAsync(cluster)).Count);
        }
        Assert.Equal((3, 0), run.Controller.Expectations.Pending($"{Ns}/web"));

        lagging.ReleasePodEvents();
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "replicas") == 3, "status counts the three pods");
        await StaysAsync(async () => (await PodsAsync(cluster)).Count == 3, "no duplicate is ever created");
        Assert.All(await PodsAsync(cluster), p =>
        {
            Assert.StartsWith("web-", p.Name());
            Assert.Equal(9, p.Name()!.Length); // web- plus the five characters the server appends
            Assert.True(OwnerReferences.IsControlledBy(p, rs));
        });
        Assert.Equal(3, (await EventsAsync(cluster, "SuccessfulCreate")).Count);
        Assert.Contains(await EventsAsync(cluster, "SuccessfulCreate"), e => e.Str("message")!.StartsWith("Created pod: web-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_PodDeleted_IsReplaced()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 3));
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "replicas") == 3, "three pods run");

        var victim = (await PodsAsync(cluster))[0];
        await cluster.Client.DeleteAsync(Kinds.Pod, Ns, victim.Name()!);

        await TestCluster.EventuallyAsync(async () =>
        {
            var pods = await OwnedPodsAsync(cluster, rs);
            return pods.Count == 3 && pods.All(p => p.Name() != victim.Name());
        }, "a replacement is created");
        await StaysAsync(async () => (await PodsAsync(cluster)).Count == 3, "exactly one replacement");
        Assert.Equal(4, (await EventsAsync(cluster, "SuccessfulCreate")).Count);
    }

    [Fact]
    public async Task Sync_PodRelabelled_IsReleasedAndKeptAndReplaced()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 3));
        await TestCluster.EventuallyAsync(async () => (await OwnedPodsAsync(cluster, rs)).Count == 3, "three pods run");

        // tier=debug leaves the matchExpressions (tier In frontend, edge): the pod no longer belongs to the set.
        var relabelled = (await PodsAsync(cluster))[0];
        await cluster.Client.PatchAsync(Kinds.Pod, Ns, relabelled.Name()!, PatchType.Merge,
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["tier"] = "debug" } } });

        await TestCluster.EventuallyAsync(async () =>
        {
            var pod = await GetAsync(cluster, Kinds.Pod, relabelled.Name()!);
            return OwnerReferences.ControllerOf(pod) == null && (await OwnedPodsAsync(cluster, rs)).Count == 3;
        }, "the pod is released and a replacement created");
        var kept = await GetAsync(cluster, Kinds.Pod, relabelled.Name()!);
        Assert.Empty(OwnerReferences.All(kept));
        Assert.Equal(relabelled.Uid(), kept.Uid());
        await StaysAsync(async () => (await PodsAsync(cluster)).Count == 4, "the orphan stays and is not adopted back");
    }

    [Fact]
    public async Task Sync_ScaleFiveToTwo_DeletesUnreadyThenMostRecentlyReady()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 5));
        await TestCluster.EventuallyAsync(async () => (await OwnedPodsAsync(cluster, rs)).Count == 5, "five pods run");

        // Three pods become ready at clearly different times (ages fall in different log2 buckets); two never do.
        var pods = await OwnedPodsAsync(cluster, rs);
        var (oldest, middle, newest) = (pods[0], pods[1], pods[2]);
        await MakeReadyAsync(cluster, oldest);
        cluster.Time.Advance(TimeSpan.FromSeconds(1000));
        await MakeReadyAsync(cluster, middle);
        cluster.Time.Advance(TimeSpan.FromSeconds(900));
        await MakeReadyAsync(cluster, newest);
        cluster.Time.Advance(TimeSpan.FromSeconds(100));
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "readyReplicas") == 3, "three pods are ready");

        await ScaleAsync(cluster, Rs, "web", 2);
        await TestCluster.EventuallyAsync(async () => (await PodsAsync(cluster)).Count == 2, "three pods are deleted");
        var left = (await PodsAsync(cluster)).Select(p => p.Name()).Order().ToList();
        Assert.Equal(new[] { oldest.Name(), middle.Name() }.Order().ToList(), left);
        Assert.Equal(3, (await EventsAsync(cluster, "SuccessfulDelete")).Count);
        Assert.Contains(await EventsAsync(cluster, "SuccessfulDelete"), e => e.Str("message") == $"Deleted pod: {newest.Name()}");
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "replicas") == 2, "status follows");
    }

    [Fact]
    public async Task Sync_MatchingOrphan_IsAdoptedInsteadOfCreatingAnother()
    {
        await using var cluster = new TestCluster();
        var orphan = await cluster.Client.CreateAsync(Kinds.Pod, Ns, OrphanPod("stray", new() { ["app"] = "web", ["tier"] = "edge" }));
        await cluster.Client.CreateAsync(Kinds.Pod, Ns, OrphanPod("other", new() { ["app"] = "web", ["tier"] = "backend" }));
        await using var run = ControllerRun.ReplicaSets(cluster);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 2));

        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "replicas") == 2, "two pods are counted");
        var adopted = await GetAsync(cluster, Kinds.Pod, "stray");
        var controllerRef = OwnerReferences.ControllerOf(adopted)!;
        Assert.Equal(rs.Uid(), controllerRef.Str("uid"));
        Assert.Equal("ReplicaSet", controllerRef.Str("kind"));
        Assert.Equal("apps/v1", controllerRef.Str("apiVersion"));
        Assert.True(controllerRef.Bool("blockOwnerDeletion"));
        Assert.Equal(orphan.Uid(), adopted.Uid());
        Assert.Null(OwnerReferences.ControllerOf(await GetAsync(cluster, Kinds.Pod, "other")));
        await StaysAsync(async () => (await PodsAsync(cluster)).Count == 3, "only one pod is created");
        // The adopted pod lacks version=v1 of the template: running, but not fully labelled.
        var status = (await GetAsync(cluster, Rs, "web"))["status"];
        Assert.Equal(1, status.Long("fullyLabeledReplicas"));
    }

    [Fact]
    public async Task Sync_AdoptionConflict_IsRetried()
    {
        await using var cluster = new TestCluster();
        await cluster.Client.CreateAsync(Kinds.Pod, Ns, OrphanPod("stray", new() { ["app"] = "web", ["tier"] = "edge" }));
        var faulty = new FaultyClient(cluster.Client);
        faulty.FailPodPatches(2);
        await using var run = ControllerRun.ReplicaSets(cluster, client: faulty);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 1));

        await EventuallyAdvancingAsync(cluster, async () => Status(await GetAsync(cluster, Rs, "web"), "replicas") == 1, "the orphan is adopted in the end");
        Assert.True(OwnerReferences.IsControlledBy(await GetAsync(cluster, Kinds.Pod, "stray"), rs));
        Assert.Single(await PodsAsync(cluster));
        Assert.Equal(0, faulty.PodCreates);
    }

    [Fact]
    public async Task Sync_ScaleDownWithBoundPods_DeletesUnscheduledFirstAndStopsCountingTerminating()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 3));
        await TestCluster.EventuallyAsync(async () => (await OwnedPodsAsync(cluster, rs)).Count == 3, "three pods run");
        var pods = await OwnedPodsAsync(cluster, rs);
        await cluster.Client.BindAsync(Ns, pods[0].Name()!, "node-1");
        await cluster.Client.BindAsync(Ns, pods[1].Name()!, "node-2");

        await ScaleAsync(cluster, Rs, "web", 1);
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "replicas") == 1, "one pod counts");
        // The unscheduled pod is gone at once; one bound pod waits for its kubelet, terminating and no longer counted.
        Assert.Null(await cluster.Client.GetAsync(Kinds.Pod, Ns, pods[2].Name()!));
        var remaining = await OwnedPodsAsync(cluster, rs);
        Assert.Equal(2, remaining.Count);
        Assert.Single(remaining, PodStatus.IsTerminating);
        await StaysAsync(async () => (await PodsAsync(cluster)).Count == 2, "nothing is created for the terminating pod");
    }

    [Fact]
    public async Task Sync_BoundPodDeleted_IsReplacedWhileItTerminates()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 2));
        await TestCluster.EventuallyAsync(async () => (await OwnedPodsAsync(cluster, rs)).Count == 2, "two pods run");
        var victim = (await OwnedPodsAsync(cluster, rs))[0];
        await cluster.Client.BindAsync(Ns, victim.Name()!, "node-1");

        await cluster.Client.DeleteAsync(Kinds.Pod, Ns, victim.Name()!);
        Assert.True(PodStatus.IsTerminating(await GetAsync(cluster, Kinds.Pod, victim.Name()!)));
        await TestCluster.EventuallyAsync(async () => (await ActiveOwnedPodsAsync(cluster, rs)).Count == 2, "a replacement is created at once");
        await StaysAsync(async () => (await PodsAsync(cluster)).Count == 3, "one replacement only");
    }

    [Fact]
    public async Task Sync_OrphanCreatedLater_IsAdoptedAndTheSurplusDeleted()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 2));
        await TestCluster.EventuallyAsync(async () => (await OwnedPodsAsync(cluster, rs)).Count == 2, "two pods run");

        // A third matching pod appears: adopted, the set has one too many, and the unready newest goes.
        foreach (var p in await OwnedPodsAsync(cluster, rs)) await MakeReadyAsync(cluster, p);
        await cluster.Client.CreateAsync(Kinds.Pod, Ns, OrphanPod("late", new() { ["app"] = "web", ["tier"] = "frontend", ["version"] = "v1" }));
        await TestCluster.EventuallyAsync(async () =>
            (await PodsAsync(cluster)).Count == 2 && (await OwnedPodsAsync(cluster, rs)).Count == 2, "the surplus is deleted");
        Assert.Null(await cluster.Client.GetAsync(Kinds.Pod, Ns, "late"));
    }

    [Fact]
    public async Task Sync_FailedPod_IsReplacedButNotDeleted()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 2));
        await TestCluster.EventuallyAsync(async () => (await OwnedPodsAsync(cluster, rs)).Count == 2, "two pods run");

        var failed = (await PodsAsync(cluster))[0];
        await SetPhaseAsync(cluster, failed, "Failed");

        await TestCluster.EventuallyAsync(async () => (await ActiveOwnedPodsAsync(cluster, rs)).Count == 2, "a replacement is created");
        await StaysAsync(async () => (await PodsAsync(cluster)).Count == 3, "the failed pod stays for the pod garbage collector");
        Assert.True(OwnerReferences.IsControlledBy(await GetAsync(cluster, Kinds.Pod, failed.Name()!), rs));
        Assert.Equal(2, Status(await GetAsync(cluster, Rs, "web"), "replicas"));
    }

    [Fact]
    public async Task Sync_StatusCounts_AvailableOnlyAfterMinReadySeconds()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 3, minReadySeconds: 30));
        await TestCluster.EventuallyAsync(async () => (await OwnedPodsAsync(cluster, rs)).Count == 3, "three pods run");

        var pods = await OwnedPodsAsync(cluster, rs);
        await MakeReadyAsync(cluster, pods[0]);
        await MakeReadyAsync(cluster, pods[1]);
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "readyReplicas") == 2, "two pods are ready");
        var status = (await GetAsync(cluster, Rs, "web"))["status"]!;
        Assert.Equal(3, status.Long("replicas"));
        Assert.Equal(3, status.Long("fullyLabeledReplicas"));
        Assert.Null(status.Long("availableReplicas"));
        Assert.Equal(1, status.Long("observedGeneration"));

        cluster.Time.Advance(TimeSpan.FromSeconds(29));
        await StaysAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "availableReplicas") == 0, "not available before 30 s", 200);

        // Nothing about the pods changes: only the re-check the controller scheduled notices the time.
        cluster.Time.Advance(TimeSpan.FromSeconds(1));
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "availableReplicas") == 2, "available after 30 s");
    }

    [Fact]
    public async Task Sync_ObservedGeneration_FollowsGeneration()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 1));
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "observedGeneration") == 1, "generation 1 observed");

        await ScaleAsync(cluster, Rs, "web", 2);
        await ScaleAsync(cluster, Rs, "web", 4);
        var rs = await GetAsync(cluster, Rs, "web");
        Assert.Equal(3, rs["metadata"].Long("generation"));
        await TestCluster.EventuallyAsync(async () =>
        {
            var current = await GetAsync(cluster, Rs, "web");
            return Status(current, "observedGeneration") == 3 && Status(current, "replicas") == 4;
        }, "generation 3 observed with four pods");

        // Metadata changes do not move the generation, and a status already right is not rewritten.
        var before = (await GetAsync(cluster, Rs, "web")).ResourceVersion();
        await cluster.Client.PatchAsync(Rs, Ns, "web", PatchType.Merge, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["x"] = "y" } } });
        await StaysAsync(async () =>
        {
            var current = await GetAsync(cluster, Rs, "web");
            return current["metadata"].Long("generation") == 3 && Status(current, "observedGeneration") == 3;
        }, "generation stays 3", 300);
        Assert.NotEqual(before, (await GetAsync(cluster, Rs, "web")).ResourceVersion());
    }

    [Fact]
    public async Task Sync_PodCreationRefused_ReportsReplicaFailureAndRecovers()
    {
        await using var cluster = new TestCluster();
        var faulty = new FaultyClient(cluster.Client);
        var refuse = true;
        faulty.BeforePodCreate = (_, _) => Volatile.Read(ref refuse)
            ? throw ApiException.Forbidden("pods \"web-x\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10")
            : Task.CompletedTask;
        await using var run = ControllerRun.ReplicaSets(cluster, client: faulty);
        await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 4));

        await TestCluster.EventuallyAsync(async () => Condition(await GetAsync(cluster, Rs, "web")) != null, "ReplicaFailure is reported");
        var failure = Condition(await GetAsync(cluster, Rs, "web"))!;
        Assert.Equal("True", failure.Str("status"));
        Assert.Equal("FailedCreate", failure.Str("reason"));
        Assert.Contains("exceeded quota", failure.Str("message"));
        var events = await EventsAsync(cluster, "FailedCreate");
        Assert.NotEmpty(events);
        Assert.StartsWith("Error creating: pods \"web-x\" is forbidden", events[0].Str("message"));
        Assert.Equal("Warning", events[0].Str("type"));
        Assert.Empty(await PodsAsync(cluster));

        Volatile.Write(ref refuse, false);
        await EventuallyAdvancingAsync(cluster, async () =>
        {
            var rs = await GetAsync(cluster, Rs, "web");
            return Status(rs, "replicas") == 4 && Condition(rs) == null;
        }, "the retry creates the pods and clears the condition", TimeSpan.FromSeconds(1));
        Assert.Equal(4, (await PodsAsync(cluster)).Count);
        // Slow start: the first failing sync tried one pod, not four.
        Assert.Equal(4, faulty.PodCreates);
    }

    [Fact]
    public async Task Sync_StatusWriteConflicts_AreRetried()
    {
        await using var cluster = new TestCluster();
        var faulty = new FaultyClient(cluster.Client);
        faulty.FailStatusWrites(3); // more than one sync's retry
        await using var run = ControllerRun.ReplicaSets(cluster, client: faulty);
        await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 2));

        await EventuallyAdvancingAsync(cluster, async () => Status(await GetAsync(cluster, Rs, "web"), "replicas") == 2, "the status is written in the end");
        Assert.Equal(2, (await PodsAsync(cluster)).Count);
    }

    [Fact]
    public async Task Sync_RestartMidway_ConvergesWithoutDuplicates()
    {
        await using var cluster = new TestCluster();
        var stalling = new FaultyClient(cluster.Client);
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first term gets two pods through; the third create hangs until the term ends.
        stalling.BeforePodCreate = async (done, ct) =>
        {
            if (done < 2) return;
            stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        };
        var first = ControllerRun.ReplicaSets(cluster, client: stalling);
        var rs = await cluster.Client.CreateAsync(Rs, Ns, ReplicaSet("web", 5));
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await first.DisposeAsync();
        Assert.Equal(2, (await PodsAsync(cluster)).Count);

        await using var second = ControllerRun.ReplicaSets(cluster);
        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "replicas") == 5, "the new term finishes the job");
        await StaysAsync(async () => (await OwnedPodsAsync(cluster, rs)).Count == 5 && (await PodsAsync(cluster)).Count == 5, "exactly five pods");
    }

    [Fact]
    public async Task Sync_OwnerBeingDeleted_CreatesNothingAndAdoptsNothing()
    {
        await using var cluster = new TestCluster();
        await using var run = ControllerRun.ReplicaSets(cluster);
        var manifest = ReplicaSet("web", 2);
        manifest.Metadata()["finalizers"] = new JsonArray("test.example/hold");
        var rs = await cluster.Client.CreateAsync(Rs, Ns, manifest);
        await TestCluster.EventuallyAsync(async () => (await OwnedPodsAsync(cluster, rs)).Count == 2, "two pods run");

        await cluster.Client.DeleteAsync(Rs, Ns, "web");
        Assert.NotNull((await GetAsync(cluster, Rs, "web"))["metadata"]?["deletionTimestamp"]);
        await cluster.Client.DeleteAsync(Kinds.Pod, Ns, (await PodsAsync(cluster))[0].Name()!);
        await cluster.Client.CreateAsync(Kinds.Pod, Ns, OrphanPod("stray", new() { ["app"] = "web", ["tier"] = "frontend" }));

        await TestCluster.EventuallyAsync(async () => Status(await GetAsync(cluster, Rs, "web"), "replicas") == 1, "the status still follows");
        await StaysAsync(async () => (await PodsAsync(cluster)).Count == 2, "no replacement while the owner is being deleted");
        Assert.Null(OwnerReferences.ControllerOf(await GetAsync(cluster, Kinds.Pod, "stray")));
    }

    private static JsonObject? Condition(JsonObject rs) =>
        (rs["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == ReplicaStatus.ReplicaFailure);
}
