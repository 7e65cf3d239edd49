using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Deployments;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Deployments;

public sealed class DeploymentProgressTests
{
    private static async Task<JsonObject?> ProgressingAsync(DeploymentTestKit kit) =>
        DeploymentConditions.Get((await kit.GetAsync("web"))["status"], DeploymentConditions.Progressing);

    [Fact]
    public async Task NoProgressForProgressDeadlineSeconds_TurnsProgressingFalse()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 2, configure: d => d["spec"]!["progressDeadlineSeconds"] = 60));
        await TestCluster.EventuallyAsync(async () => (await ProgressingAsync(kit))?.Str("reason") == DeploymentConditions.NewReplicaSetCreated, "the rollout starts");

        // One pod becomes available after 40 s: progress, which renews the deadline.
        cluster.Time.Advance(TimeSpan.FromSeconds(40));
        var progressAt = cluster.Time.GetUtcNow();
        var rs = (await kit.ReplicaSetsAsync("web"))[0];
        await kit.SetStatusAsync(rs.Name()!, 2, 1, 1);
        await TestCluster.EventuallyAsync(async () => (await ProgressingAsync(kit))?.Str("reason") == DeploymentConditions.ReplicaSetUpdated, "progress is recorded");
        Assert.Equal(KubeTime.Format(progressAt), (await ProgressingAsync(kit))!.Str("lastUpdateTime"));

        // 50 s later (90 s after the start, but within 60 s of the progress) a sync must not time it out.
        cluster.Time.Advance(TimeSpan.FromSeconds(40));
        await kit.ModifyAsync("web", d => d.Metadata().Obj("annotations")["touched"] = "yes");
        await TestCluster.EventuallyAsync(async () => (await kit.ReplicaSetsAsync("web"))[0].Annotations().ContainsKey("touched"), "the deployment is synced");
        Assert.Equal(DeploymentConditions.ReplicaSetUpdated, (await ProgressingAsync(kit))!.Str("reason"));

        // Nothing else happens: the controller looks again once the deadline has passed.
        await TestCluster.EventuallyAsync(async () =>
        {
            cluster.Time.Advance(TimeSpan.FromSeconds(1));
            return (await ProgressingAsync(kit))?.Str("reason") == DeploymentConditions.ProgressDeadlineExceeded;
        }, "the deadline passes");
        Assert.True(cluster.Time.GetUtcNow() > progressAt.AddSeconds(60));
        var condition = (await ProgressingAsync(kit))!;
        Assert.Equal("False", condition.Str("status"));
        Assert.Equal($"ReplicaSet \"{rs.Name()}\" has timed out progressing.", condition.Str("message"));
        Assert.False(await kit.RolloutCompleteAsync("web"));

        // A late completion still completes the rollout.
        await kit.SettleAsync("web");
        await TestCluster.EventuallyAsync(async () => (await ProgressingAsync(kit))?.Str("reason") == DeploymentConditions.NewReplicaSetAvailable, "the rollout completes after all");
        Assert.Equal("True", (await ProgressingAsync(kit))!.Str("status"));
    }

    [Fact]
    public async Task MinimumAvailability_FollowsMaxUnavailable()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 4, configure: DeploymentTestKit.Rolling(1, 1)));
        await kit.WaitForSizesAsync("web", "4");
        var rs = (await kit.ReplicaSetsAsync("web"))[0].Name()!;

        async Task<string?> AvailableAsync() => DeploymentConditions.Get((await kit.GetAsync("web"))["status"], DeploymentConditions.Available)?.Str("reason");

        await kit.SetStatusAsync(rs, 4, 2, 2);
        await TestCluster.EventuallyAsync(async () => await AvailableAsync() == DeploymentConditions.MinimumReplicasUnavailable, "2 of 4 is below 4 - 1");
        await kit.SetStatusAsync(rs, 4, 3, 3);
        await TestCluster.EventuallyAsync(async () => await AvailableAsync() == DeploymentConditions.MinimumReplicasAvailable, "3 of 4 is enough");
        Assert.Equal(1, (await kit.GetAsync("web"))["status"].Long("unavailableReplicas"));
    }
}
