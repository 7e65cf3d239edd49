using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Deployments;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Deployments;

public sealed class DeploymentControllerTests
{
    private static string Annotation(JsonObject obj, string key) => obj.Annotations().GetValueOrDefault(key) ?? "";

    [Fact]
    public async Task NewDeployment_CreatesOneReplicaSetWithHashLabelAndRevision1()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);

        var created = await kit.CreateAsync(DeploymentTestKit.Deployment("web", 3));
        await kit.WaitForSizesAsync("web", "3");

        var rs = Assert.Single(await kit.ReplicaSetsAsync("web"));
        var hash = PodTemplateHash.Compute((JsonObject)created["spec"]!["template"]!, null);
        Assert.Equal($"web-{hash}", rs.Name());
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]+$", hash);
        Assert.Equal(hash, rs.Labels()[PodTemplateHash.Label]);
        Assert.Equal("web", rs.Labels()["app"]);
        Assert.Equal(hash, rs["spec"]!["selector"]!["matchLabels"].Str(PodTemplateHash.Label));
        Assert.Equal("web", rs["spec"]!["selector"]!["matchLabels"].Str("app"));
        Assert.Equal(hash, rs["spec"]!["template"]!["metadata"]!["labels"].Str(PodTemplateHash.Label));
        var owner = OwnerReferences.ControllerOf(rs)!;
        Assert.Equal(created.Uid(), owner.Str("uid"));
        Assert.Equal("Deployment", owner.Str("kind"));
        Assert.True(owner.Bool("blockOwnerDeletion"));
        Assert.Equal("1", Annotation(rs, DeploymentAnnotations.Revision));
        Assert.Equal("3", Annotation(rs, DeploymentAnnotations.DesiredReplicas));
        Assert.Equal("4", Annotation(rs, DeploymentAnnotations.MaxReplicas)); // 25% of 3 surges to 1

        // The annotation and the condition are two writes (metadata, then status).
        await TestCluster.EventuallyAsync(async () =>
        {
            var d = await kit.GetAsync("web");
            return Annotation(d, DeploymentAnnotations.Revision) == "1" &&
                   DeploymentConditions.Get(d["status"], DeploymentConditions.Progressing)?.Str("reason") == DeploymentConditions.NewReplicaSetCreated;
        }, "the deployment has revision 1 and says it created a replica set");
        await TestCluster.EventuallyAsync(async () => (await kit.EventsAsync("ScalingReplicaSet")).Any(e => e.Str("message") == $"Scaled up replica set web-{hash} from 0 to 3"),
            "a ScalingReplicaSet event tells the story");
    }

    [Fact]
    public async Task SettledDeployment_ReportsWhatRolloutStatusWaitsFor()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 3));
        await kit.WaitForSizesAsync("web", "3");

        await kit.SettleAsync("web");
        await TestCluster.EventuallyAsync(() => kit.RolloutCompleteAsync("web"), "the rollout completes");

        var d = await kit.GetAsync("web");
        var status = d["status"]!;
        Assert.Equal(d["metadata"].Long("generation"), status.Long("observedGeneration"));
        Assert.Equal(3, status.Long("replicas"));
        Assert.Equal(3, status.Long("updatedReplicas"));
        Assert.Equal(3, status.Long("readyReplicas"));
        Assert.Equal(3, status.Long("availableReplicas"));
        Assert.Null(status.Long("unavailableReplicas"));
        var available = DeploymentConditions.Get(status, DeploymentConditions.Available)!;
        Assert.Equal(("True", "MinimumReplicasAvailable"), (available.Str("status"), available.Str("reason")));
        var progressing = DeploymentConditions.Get(status, DeploymentConditions.Progressing)!;
        Assert.Equal(("True", "NewReplicaSetAvailable"), (progressing.Str("status"), progressing.Str("reason")));
        Assert.Equal($"ReplicaSet \"{(await kit.ReplicaSetsAsync("web"))[0].Name()}\" has successfully progressed.", progressing.Str("message"));
    }

    [Fact]
    public async Task PartlyReadyReplicaSets_AreCountedIntoStatus()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 4, configure: DeploymentTestKit.Rolling(1, 1)));
        await kit.WaitForSizesAsync("web", "4");
        await kit.SettleAsync("web");
        await TestCluster.EventuallyAsync(() => kit.RolloutCompleteAsync("web"), "the first rollout completes");

        await kit.SetImageAsync("web", "nginx:2.0");
        await kit.WaitForSizesAsync("web", "3,2");
        var rss = await kit.ReplicaSetsAsync("web");
        await kit.SetStatusAsync(rss[0].Name()!, 3, 3, 3);
        await kit.SetStatusAsync(rss[1].Name()!, 2, 1, 0);

        await TestCluster.EventuallyAsync(async () =>
        {
            var s = (await kit.GetAsync("web"))["status"];
            return s.Long("replicas") == 5 && s.Long("updatedReplicas") == 2 && s.Long("readyReplicas") == 4 &&
                   s.Long("availableReplicas") == 3 && s.Long("unavailableReplicas") == 2;
        }, "the status adds up the replica sets");
        var d = await kit.GetAsync("web");
        Assert.Equal("True", DeploymentConditions.Get(d["status"], DeploymentConditions.Available)!.Str("status")); // 3 >= 4 - 1
        Assert.False(await kit.RolloutCompleteAsync("web"));
    }

    public static TheoryData<string, Action<JsonObject>> TemplateChanges => new()
    {
        { "kubectl set image", d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2.0" },
        { "kubectl set env", d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["env"] = new JsonArray(new JsonObject { ["name"] = "MODE", ["value"] = "fast" }) },
        { "kubectl rollout restart", d => ((JsonObject)d["spec"]!["template"]!["metadata"]!)["annotations"] = new JsonObject { ["kubectl.kubernetes.io/restartedAt"] = "2026-11-22T03:00:00Z" } },
    };

    [Theory]
    [MemberData(nameof(TemplateChanges))]
    public async Task TemplateChange_RollsToANewReplicaSetWithTheNextRevision(string command, Action<JsonObject> change)
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 2));
        await kit.WaitForSizesAsync("web", "2");
        await kit.RollToCompletionAsync("web");

        await kit.ModifyAsync("web", change);
        await kit.RollToCompletionAsync("web", maxTotal: 3);

        Assert.Equal("0,2", await kit.SizesAsync("web"));
        var rss = await kit.ReplicaSetsAsync("web");
        Assert.Equal(["1", "2"], rss.Select(rs => Annotation(rs, DeploymentAnnotations.Revision)));
        Assert.NotEqual(rss[0].Labels()[PodTemplateHash.Label], rss[1].Labels()[PodTemplateHash.Label]);
        Assert.Equal("2", Annotation(await kit.GetAsync("web"), DeploymentAnnotations.Revision));
        Assert.True(await kit.RolloutCompleteAsync("web"), command);
    }

    [Fact]
    public async Task Scale_SteadyDeployment_ResizesItsOnlyReplicaSet()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 3));
        await kit.WaitForSizesAsync("web", "3");
        await kit.RollToCompletionAsync("web");

        await kit.ScaleAsync("web", 5);
        await kit.WaitForSizesAsync("web", "5");
        var rs = Assert.Single(await kit.ReplicaSetsAsync("web"));
        Assert.Equal("5", Annotation(rs, DeploymentAnnotations.DesiredReplicas));
        Assert.Equal("7", Annotation(rs, DeploymentAnnotations.MaxReplicas));

        await kit.ScaleAsync("web", 1);
        await kit.WaitForSizesAsync("web", "1");
        await TestCluster.EventuallyAsync(async () => (await kit.EventsAsync("ScalingReplicaSet")).Any(e => e.Str("message") == $"Scaled down replica set {rs.Name()} from 5 to 1"),
            "the scale-down is recorded");
        await kit.RollToCompletionAsync("web");
    }

    [Fact]
    public async Task Pause_StopsRolloutButNotScaling_ResumeRollsOut()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 3));
        await kit.WaitForSizesAsync("web", "3");
        await kit.RollToCompletionAsync("web");

        await kit.ModifyAsync("web", d => d["spec"]!["paused"] = true);
        await TestCluster.EventuallyAsync(async () =>
            DeploymentConditions.Get((await kit.GetAsync("web"))["status"], DeploymentConditions.Progressing)?.Str("reason") == DeploymentConditions.DeploymentPaused,
            "the pause is recorded");
        var paused = DeploymentConditions.Get((await kit.GetAsync("web"))["status"], DeploymentConditions.Progressing)!;
        Assert.Equal(("Unknown", "Deployment is paused"), (paused.Str("status"), paused.Str("message")));

        var changed = await kit.SetImageAsync("web", "nginx:2.0");
        var generation = changed["metadata"].Long("generation");
        await TestCluster.EventuallyAsync(async () => (await kit.GetAsync("web"))["status"].Long("observedGeneration") == generation,
            "the paused deployment observes its new template");
        Assert.Equal("3", await kit.SizesAsync("web")); // no new replica set while paused

        await kit.ScaleAsync("web", 5);
        await kit.WaitForSizesAsync("web", "5");

        await kit.ModifyAsync("web", d => d["spec"]!["paused"] = false);
        await TestCluster.EventuallyAsync(async () => (await kit.ReplicaSetsAsync("web")).Count == 2, "resuming starts the rollout");
        await kit.RollToCompletionAsync("web", maxTotal: 7);
        Assert.Equal("0,5", await kit.SizesAsync("web"));
    }

    [Fact]
    public async Task RolloutUndo_ReusesTheOldReplicaSetAndMarksItRevision3()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 3, configure: d =>
            d.Metadata()["annotations"] = new JsonObject { ["kubernetes.io/change-cause"] = "first" }));
        await kit.WaitForSizesAsync("web", "3");
        await kit.RollToCompletionAsync("web");
        await kit.ModifyAsync("web", d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2.0";
            d.Metadata().Obj("annotations")["kubernetes.io/change-cause"] = "second";
        });
        await kit.RollToCompletionAsync("web", maxTotal: 4);
        var (first, second) = ((await kit.ReplicaSetsAsync("web"))[0], (await kit.ReplicaSetsAsync("web"))[1]);
        Assert.Equal("first", Annotation(first, "kubernetes.io/change-cause"));
        Assert.Equal("second", Annotation(second, "kubernetes.io/change-cause"));

        await KubectlRolloutUndoAsync(cluster, "web", first);

        await TestCluster.EventuallyAsync(async () => Annotation((await kit.ReplicaSetsAsync("web"))[0], DeploymentAnnotations.Revision) == "3",
            "the revision-1 replica set becomes revision 3");
        await kit.RollToCompletionAsync("web", maxTotal: 4);
        var rss = await kit.ReplicaSetsAsync("web");
        Assert.Equal(2, rss.Count); // reused, not recreated
        Assert.Equal(first.Uid(), rss[0].Uid());
        Assert.Equal("3,0", await kit.SizesAsync("web"));
        Assert.Equal("1", Annotation(rss[0], DeploymentAnnotations.RevisionHistory));
        Assert.Equal("2", Annotation(rss[1], DeploymentAnnotations.Revision));
        Assert.Equal("3", Annotation(await kit.GetAsync("web"), DeploymentAnnotations.Revision));
    }

    /// <summary>
    /// What kubectl does (client side): the chosen ReplicaSet's template, minus its hash label, as serialised from Go
    /// structs (with <c>"creationTimestamp": null</c>), replaces the deployment's template, and the ReplicaSet's
    /// annotations (minus the controller's bookkeeping) replace the deployment's, in one JSON patch.
    /// </summary>
    private static async Task KubectlRolloutUndoAsync(TestCluster cluster, string name, JsonObject toRevision)
    {
        var template = (JsonObject)toRevision["spec"]!["template"]!.DeepClone();
        var meta = (JsonObject)template["metadata"]!;
        ((JsonObject)meta["labels"]!).Remove(PodTemplateHash.Label);
        meta["creationTimestamp"] = null;
        var skip = new[] { DeploymentAnnotations.Revision, DeploymentAnnotations.RevisionHistory, DeploymentAnnotations.DesiredReplicas,
            DeploymentAnnotations.MaxReplicas, DeploymentAnnotations.LastAppliedConfiguration, DeploymentAnnotations.DeprecatedRollbackTo };
        var annotations = new JsonObject();
        foreach (var (k, v) in toRevision.Annotations())
            if (!skip.Contains(k)) annotations[k] = v;
        var patch = new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = template },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/annotations", ["value"] = annotations });
        await cluster.Client.PatchAsync(Kinds.Deployment, DeploymentTestKit.Ns, name, PatchType.Json, patch);
    }

    [Fact]
    public async Task RevisionHistoryLimit_DeletesTheOldestScaledDownReplicaSets()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 2, configure: d => d["spec"]!["revisionHistoryLimit"] = 1));
        await kit.WaitForSizesAsync("web", "2");
        await kit.RollToCompletionAsync("web");
        foreach (var image in new[] { "nginx:2.0", "nginx:3.0", "nginx:4.0" })
        {
            await kit.SetImageAsync("web", image);
            await kit.RollToCompletionAsync("web", maxTotal: 3);
        }

        await TestCluster.EventuallyAsync(async () => (await kit.ReplicaSetsAsync("web")).Count == 2, "only one old replica set is kept");
        var rss = await kit.ReplicaSetsAsync("web");
        Assert.Equal(["3", "4"], rss.Select(rs => Annotation(rs, DeploymentAnnotations.Revision)));
        Assert.Equal("0,2", await kit.SizesAsync("web"));
    }

    [Fact]
    public async Task OrphanReplicaSet_WithTheCurrentTemplate_IsAdoptedInsteadOfCreatingOne()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        var d = DeploymentTestKit.Deployment("web", 2, configure: x => x["spec"]!["paused"] = true);
        var created = await kit.CreateAsync(d);
        var template = (JsonObject)created["spec"]!["template"]!.DeepClone();
        ((JsonObject)template["metadata"]!["labels"]!)[PodTemplateHash.Label] = "orphan";
        await cluster.Client.CreateAsync(Kinds.ReplicaSet, DeploymentTestKit.Ns, new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject { ["name"] = "web-orphan", ["labels"] = template["metadata"]!["labels"]!.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 2,
                ["selector"] = new JsonObject { ["matchLabels"] = template["metadata"]!["labels"]!.DeepClone() },
                ["template"] = template,
            },
        });

        await using var run = ControllerRun.Start(cluster);
        await kit.ModifyAsync("web", x => x["spec"]!["paused"] = false);
        await TestCluster.EventuallyAsync(async () => (await kit.ReplicaSetsAsync("web")).Count == 1, "the orphan is adopted");
        await kit.RollToCompletionAsync("web");
        var rs = Assert.Single(await kit.ReplicaSetsAsync("web"));
        Assert.Equal("web-orphan", rs.Name());
        Assert.Equal("1", Annotation(rs, DeploymentAnnotations.Revision));
    }

    [Fact]
    public async Task OwnedReplicaSet_RelabelledOutOfTheSelector_IsReleasedAndReplaced()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        await using var run = ControllerRun.Start(cluster);
        await kit.CreateAsync(DeploymentTestKit.Deployment("web", 2));
        await kit.WaitForSizesAsync("web", "2");
        var rs = Assert.Single(await kit.ReplicaSetsAsync("web"));

        rs["metadata"]!["labels"]!["app"] = "elsewhere";
        await cluster.Client.UpdateAsync(Kinds.ReplicaSet, rs);

        await TestCluster.EventuallyAsync(async () =>
            OwnerReferences.ControllerOf((await cluster.Client.GetAsync(Kinds.ReplicaSet, DeploymentTestKit.Ns, rs.Name()!))!) == null,
            "the relabelled replica set is released");
        await TestCluster.EventuallyAsync(async () => await kit.SizesAsync("web") == "2" && (await kit.ReplicaSetsAsync("web"))[0].Uid() != rs.Uid(),
            "a replacement replica set is created");
    }

    [Fact]
    public async Task HashCollision_BumpsCollisionCountAndUsesAnotherName()
    {
        await using var cluster = new TestCluster();
        var kit = new DeploymentTestKit(cluster);
        var created = await kit.CreateAsync(DeploymentTestKit.Deployment("web", 1, configure: x => x["spec"]!["paused"] = true));
        var hash = PodTemplateHash.Compute((JsonObject)created["spec"]!["template"]!, null);
        // Someone else's replica set holds the name the deployment's would get.
        await cluster.Client.CreateAsync(Kinds.ReplicaSet, DeploymentTestKit.Ns, new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject { ["name"] = $"web-{hash}", ["labels"] = new JsonObject { ["app"] = "squatter" } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "squatter" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "squatter" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) },
                },
            },
        });

        await using var run = ControllerRun.Start(cluster);
        await kit.ModifyAsync("web", x => x["spec"]!["paused"] = false);

        await TestCluster.EventuallyAsync(async () => (await kit.ReplicaSetsAsync("web")).Count == 1, "the deployment gets its replica set");
        var rs = Assert.Single(await kit.ReplicaSetsAsync("web"));
        Assert.Equal(1, (await kit.GetAsync("web"))["status"].Long("collisionCount"));
        Assert.Equal($"web-{PodTemplateHash.Compute((JsonObject)created["spec"]!["template"]!, 1)}", rs.Name());
        Assert.Equal("squatter", (await cluster.Client.GetAsync(Kinds.ReplicaSet, DeploymentTestKit.Ns, $"web-{hash}"))!.Labels()["app"]);
    }
}
