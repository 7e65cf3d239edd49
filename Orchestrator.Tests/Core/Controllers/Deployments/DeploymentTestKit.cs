using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Deployments;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Deployments;

/// <summary>
/// Deployments on a test cluster, with the ReplicaSet controller played by the test: it writes ReplicaSet status
/// (replicas, ready, available) by hand, so every step of a rollout can be observed and asserted.
/// </summary>
internal sealed class DeploymentTestKit(TestCluster cluster)
{
    public const string Ns = "default";

    public TestCluster Cluster => cluster;

    public static JsonObject Deployment(string name, int replicas, string image = "nginx:1.0", Action<JsonObject>? configure = null)
    {
        var d = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }),
                    },
                },
            },
        };
        configure?.Invoke(d);
        return d;
    }

    public static Action<JsonObject> Rolling(JsonNode maxSurge, JsonNode maxUnavailable) => d =>
        d["spec"]!["strategy"] = new JsonObject
        {
            ["type"] = "RollingUpdate",
            ["rollingUpdate"] = new JsonObject { ["maxSurge"] = maxSurge, ["maxUnavailable"] = maxUnavailable },
        };

    public Task<JsonObject> CreateAsync(JsonObject deployment) => cluster.Client.CreateAsync(Kinds.Deployment, Ns, deployment);

    public async Task<JsonObject> GetAsync(string name) =>
        await cluster.Client.GetAsync(Kinds.Deployment, Ns, name) ?? throw new InvalidOperationException($"deployment {name} is gone");

    /// <summary>
    /// Read-modify-write of a deployment, retried on conflicts with the controller. The clock moves on 10 s first,
    /// as it would between two kubectl commands, so that ReplicaSets created for the change are younger (creation
    /// times have whole seconds, and "oldest" decides which ReplicaSets are scaled down first).
    /// </summary>
    public async Task<JsonObject> ModifyAsync(string name, Action<JsonObject> change)
    {
        cluster.Time.Advance(TimeSpan.FromSeconds(10));
        while (true)
        {
            var d = await GetAsync(name);
            change(d);
            try
            {
                return await cluster.Client.UpdateAsync(Kinds.Deployment, d);
            }
            catch (ApiException e) when (e.Code == 409)
            {
            }
        }
    }

    public Task<JsonObject> SetImageAsync(string name, string image) =>
        ModifyAsync(name, d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image);

    public Task<JsonObject> ScaleAsync(string name, int replicas) => ModifyAsync(name, d => d["spec"]!["replicas"] = replicas);

    /// <summary>The deployment's ReplicaSets (controlled by it), oldest first.</summary>
    public async Task<List<JsonObject>> ReplicaSetsAsync(string deployment)
    {
        var d = await GetAsync(deployment);
        var list = await cluster.Client.ListAsync(Kinds.ReplicaSet, Ns);
        return OwnedReplicaSets.OldestFirst(list.Items.Where(rs => OwnerReferences.IsControlledBy(rs, d)));
    }

    /// <summary>spec.replicas of the deployment's ReplicaSets, oldest first: "3,2".</summary>
    public async Task<string> SizesAsync(string deployment) =>
        string.Join(",", (await ReplicaSetsAsync(deployment)).Select(OwnedReplicaSets.Replicas));

    /// <summary>As <see cref="SizesAsync"/>, from the informer cache the controller reads.</summary>
    public async Task<string> CachedSizesAsync(string deployment)
    {
        var d = await GetAsync(deployment);
        var cached = cluster.Informers.For(Kinds.ReplicaSet).List(Ns).Where(rs => OwnerReferences.IsControlledBy(rs, d));
        return string.Join(",", OwnedReplicaSets.OldestFirst(cached).Select(OwnedReplicaSets.Replicas));
    }

    /// <summary>Plays the ReplicaSet controller for one ReplicaSet: its pods now number, are ready and available as given.</summary>
    public async Task SetStatusAsync(string rsName, int replicas, int ready, int available)
    {
        while (true)
        {
            var rs = await cluster.Client.GetAsync(Kinds.ReplicaSet, Ns, rsName) ?? throw new InvalidOperationException($"replica set {rsName} is gone");
            rs["status"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["fullyLabeledReplicas"] = replicas,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = available,
                ["observedGeneration"] = rs["metadata"].Long("generation") ?? 1,
            };
            try
            {
                await cluster.Client.UpdateStatusAsync(Kinds.ReplicaSet, rs);
                return;
            }
            catch (ApiException e) when (e.Code == 409)
            {
            }
        }
    }

    /// <summary>
    /// Every ReplicaSet of the deployment has exactly the pods it asks for, all available. Oldest first, as in a real
    /// cluster: pods of a scaled-down ReplicaSet go at once, new ones take a while to become ready.
    /// </summary>
    public async Task SettleAsync(string deployment)
    {
        foreach (var rs in await ReplicaSetsAsync(deployment))
        {
            var n = OwnedReplicaSets.Replicas(rs);
            await SetStatusAsync(rs.Name()!, n, n, n);
        }
    }

    public async Task WaitForSizesAsync(string deployment, string expected, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var seen = "";
        while (DateTime.UtcNow < deadline)
        {
            seen = await SizesAsync(deployment);
            // The controller's cache too: a step taken on a stale cache may differ from the one asserted next.
            if (seen == expected && await CachedSizesAsync(deployment) == expected) return;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"the replica sets of {deployment} never had sizes {expected}; last seen {seen}");
    }

    /// <summary>What <c>kubectl rollout status</c> waits for.</summary>
    public async Task<bool> RolloutCompleteAsync(string deployment)
    {
        var d = await GetAsync(deployment);
        var status = d["status"];
        long Of(string f) => status.Long(f) ?? 0;
        return (d["metadata"].Long("generation") ?? 0) <= Of("observedGeneration") &&
               Of("updatedReplicas") == (d["spec"].Long("replicas") ?? 1) &&
               Of("replicas") == Of("updatedReplicas") &&
               Of("availableReplicas") >= Of("updatedReplicas") &&
               DeploymentConditions.Get(status, DeploymentConditions.Progressing)?.Str("reason") is null or DeploymentConditions.NewReplicaSetAvailable;
    }

    /// <summary>
    /// Makes pods ready as fast as the controller asks for them until the rollout is complete, checking after every
    /// step that the ReplicaSets never ask for more than <paramref name="maxTotal"/> pods.
    /// </summary>
    public async Task RollToCompletionAsync(string deployment, int maxTotal = int.MaxValue, int maxSteps = 30)
    {
        for (var step = 0; step < maxSteps; step++)
        {
            var before = await SizesAsync(deployment);
            Assert.True(Total(before) <= maxTotal, $"{before} asks for more than {maxTotal} pods");
            await SettleAsync(deployment);
            var done = false;
            await TestCluster.EventuallyAsync(async () =>
            {
                done = await RolloutCompleteAsync(deployment);
                return done || await SizesAsync(deployment) != before;
            }, $"the rollout of {deployment} moves on from {before}");
            if (done) return;
        }
        throw new Xunit.Sdk.XunitException($"the rollout of {deployment} did not complete in {maxSteps} steps");
    }

    public static int Total(string sizes) => sizes.Split(',', StringSplitOptions.RemoveEmptyEntries).Sum(int.Parse);

    public async Task<List<JsonObject>> EventsAsync(string reason) =>
        (await cluster.Client.ListAsync(Kinds.Event, Ns)).Items.Where(e => e.Str("reason") == reason).ToList();
}
