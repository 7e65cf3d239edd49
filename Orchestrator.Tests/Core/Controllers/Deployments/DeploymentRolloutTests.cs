using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Deployments;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Deployments;

public sealed class DeploymentRolloutTests
{
    /// <summary>
    /// Sizes of (old, new) ReplicaSet where the controller rests after the image change and after each round of pods
    /// becoming ready, as upstream's rolling algorithm takes them.
    /// </summary>
    public static TheoryData<int, JsonNode, JsonNode, string[]> RollingSteps => new()
    {
        { 4, 1, 1, ["3,2", "1,4", "0,4"] },
        { 4, "25%", "25%", ["3,2", "1,4", "0,4"] },
        { 3, 0, 1, ["2,1", "1,2", "0,3"] },
        { 2, "100%", 0, ["2,2", "0,2"] },
        { 10, "30%", "20%", ["8,5", "3,10", "0,10"] },
    };

    [Theory]
    [MemberData(nameof(RollingSteps))]
    public async Task RollingUpdate_StepsWithinMaxSurgeAndMaxUnavailable(int replicas, JsonNode maxSurge, JsonNode maxUnavailable, string[] steps)
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        var client = new InterceptingClient(cluster.Client);
        await using var run = ControllerRun.Start(cluster, client);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", replicas, configure: DeploymentTestKit.Rolling(maxSurge, maxUnavailable)));
        await kit.WaitForSizesAsync("web", replicas.ToString());
        await kit.RollToCompletionAsync("web");

        await kit.SetImageAsync("web", "nginx:2.0");
        foreach (var step in steps)
        {
            await kit.WaitForSizesAsync("web", step);
            Assert.False(await kit.RolloutCompleteAsync("web"));
            await kit.SettleAsync("web");
        }
        await TestCluster.EventuallyAsync(() => kit.RolloutCompleteAsync("web"), "the rollout completes");
        Assert.Equal(steps[^1], await kit.SizesAsync("web"));

        // The old ReplicaSet only ever shrinks, the new one only ever grows.
        var rss = await kit.ReplicaSetsAsync("web");
        var oldSizes = client.SizesOf(rss[0].Name()!).ToList();
        var newSizes = client.SizesOf(rss[1].Name()!).ToList();
        Assert.Equal(oldSizes.OrderByDescending(x => x), oldSizes);
        Assert.Equal(newSizes.Order(), newSizes);
        Assert.Equal([replicas, 0L], [oldSizes[0], oldSizes[^1]]);
        Assert.Equal(replicas, newSizes[^1]);
    }

    [Fact]
    public async Task Recreate_ScalesOldToZeroAndWaitsForOldPodsBeforeStartingNew()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 3, configure: d => d["spec"]!["strategy"] = new JsonObject { ["type"] = "Recreate" }));
        await kit.WaitForSizesAsync("web", "3");
        await kit.RollToCompletionAsync("web");
        var old = (await kit.ReplicaSetsAsync("web"))[0];
        Assert.Equal("3", old.Annotations()[DeploymentAnnotations.MaxReplicas]); // no surge with Recreate

        await kit.SetImageAsync("web", "nginx:2.0");
        await kit.WaitForSizesAsync("web", "0");
        // The old pods still run (status.replicas 3): nothing new may start.
        await Task.Delay(200);
        Assert.Equal("0", await kit.SizesAsync("web"));

        // The ReplicaSet controller counts them gone, but one is still there (terminating pods are not counted).
        var pod = await cluster.Client.CreateAsync(Kinds.Pod, DeploymentTestKit.Ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web-old-pod",
                ["labels"] = old["spec"]!["template"]!["metadata"]!["labels"]!.DeepClone(),
                ["ownerReferences"] = new JsonArray(Orchestrator.Core.Controllers.Pods.OwnerReferences.NewControllerRef(old)),
            },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx:1.0" }) },
        });
        await TestCluster.EventuallyAsync(() => Task.FromResult(cluster.Informers.For(Kinds.Pod).Get(DeploymentTestKit.Ns, pod.Name()!) != null),
            "the controller's cache has the pod");
        await kit.SetStatusAsync(old.Name()!, 0, 0, 0);
        await Task.Delay(200);
        Assert.Equal("0", await kit.SizesAsync("web"));

        await cluster.Client.DeleteAsync(Kinds.Pod, DeploymentTestKit.Ns, pod.Name()!, new Orchestrator.Core.Client.DeleteRequest(GracePeriodSeconds: 0));
        await kit.WaitForSizesAsync("web", "0,3");
        await kit.RollToCompletionAsync("web");
        Assert.Equal("2", (await kit.GetAsync("web")).Annotations()[DeploymentAnnotations.Revision]);
    }

    /// <summary>(8, 5) of a 10-replica rollout with maxSurge 3: the new size + 3 shared in proportion to 8:5.</summary>
    public static TheoryData<int, int, int> MidRolloutScales => new()
    {
        { 20, 14, 9 },
        { 5, 5, 3 },
    };

    [Theory]
    [MemberData(nameof(MidRolloutScales))]
    public async Task ScaleMidRollout_SpreadsTheChangeProportionally(int newSize, int expectedOld, int expectedNew)
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        var client = new InterceptingClient(cluster.Client);
        await using var run = ControllerRun.Start(cluster, client);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 10, configure: DeploymentTestKit.Rolling(3, 2)));
        await kit.WaitForSizesAsync("web", "10");
        await kit.RollToCompletionAsync("web");
        await kit.SetImageAsync("web", "nginx:2.0");
        await kit.WaitForSizesAsync("web", "8,5");

        var rss = await kit.ReplicaSetsAsync("web");
        // The proportional step is the first write after the resize; the rollout may move on from it at once (all
        // the old ReplicaSet's pods still count as available), so the sizes themselves are only a passing state.
        var before = client.Sizes.Count;
        await kit.ScaleAsync("web", newSize);
        await TestCluster.EventuallyAsync(() => Task.FromResult(client.Sizes.Count >= before + 2), "the replica sets are resized");
        Assert.Equal([(rss[0].Name()!, (long)expectedOld), (rss[1].Name()!, (long)expectedNew)], client.Sizes.Skip(before).Take(2));
        foreach (var rs in await kit.ReplicaSetsAsync("web"))
        {
            Assert.Equal(newSize.ToString(), rs.Annotations()[DeploymentAnnotations.DesiredReplicas]);
            Assert.Equal((newSize + 3).ToString(), rs.Annotations()[DeploymentAnnotations.MaxReplicas]);
        }

        await kit.RollToCompletionAsync("web", maxTotal: newSize + 3);
        Assert.Equal($"0,{newSize}", await kit.SizesAsync("web"));
    }

    [Fact]
    public async Task ControllerRestart_MidRollout_Converges()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        var first = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 4, configure: DeploymentTestKit.Rolling(1, 1)));
        await kit.WaitForSizesAsync("web", "4");
        await kit.RollToCompletionAsync("web");
        await kit.SetImageAsync("web", "nginx:2.0");
        await kit.WaitForSizesAsync("web", "3,2");
        await first.DisposeAsync();

        // While no controller runs, pods become ready and the deployment is scaled.
        await kit.SettleAsync("web");
        await kit.ScaleAsync("web", 6);
        await Task.Delay(100);
        Assert.Equal("3,2", await kit.SizesAsync("web"));

        await using var second = ControllerRun.Start(cluster);
        await kit.RollToCompletionAsync("web", maxTotal: 6 + 2);
        Assert.Equal("0,6", await kit.SizesAsync("web"));
        Assert.Equal(2, (await kit.ReplicaSetsAsync("web")).Count);
    }

    [Fact]
    public async Task WriteConflicts_AreRetriedUntilTheRolloutConverges()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        var client = new InterceptingClient(cluster.Client, Kinds.ReplicaSet, conflicts: 3);
        await using var run = ControllerRun.Start(cluster, client);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 4, configure: DeploymentTestKit.Rolling(1, 1)));
        await kit.WaitForSizesAsync("web", "4");
        await kit.RollToCompletionAsync("web");

        await kit.SetImageAsync("web", "nginx:2.0");
        // The retries back off on the test clock: move it in small steps while waiting.
        await TestCluster.EventuallyAsync(async () =>
        {
            cluster.Time.Advance(TimeSpan.FromMilliseconds(100));
            return await kit.SizesAsync("web") == "3,2";
        }, "the rollout gets past the conflicts");
        Assert.Equal(3, client.Injected);
        await kit.RollToCompletionAsync("web", maxTotal: 5);
        Assert.Equal("0,4", await kit.SizesAsync("web"));
    }
}
