using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

/// <summary>Manifests and queries the ReplicaSet tests share.</summary>
internal static class Workloads
{
    public const string Ns = "default";

    /// <summary>
    /// The seed's shape: pods labelled app=web, tier=frontend, version=v1; selected by matchLabels app=web and a
    /// matchExpressions tier In (frontend, edge). version is in the template only (fullyLabeledReplicas counts it).
    /// </summary>
    public static JsonObject ReplicaSet(string name, int replicas, long minReadySeconds = 0) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "ReplicaSet",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["minReadySeconds"] = minReadySeconds,
            ["selector"] = new JsonObject
            {
                ["matchLabels"] = new JsonObject { ["app"] = "web" },
                ["matchExpressions"] = new JsonArray(new JsonObject
                {
                    ["key"] = "tier", ["operator"] = "In", ["values"] = new JsonArray("frontend", "edge"),
                }),
            },
            ["template"] = Template(new() { ["app"] = "web", ["tier"] = "frontend", ["version"] = "v1" }),
        },
    };

    public static JsonObject ReplicationController(string name, int replicas, Dictionary<string, string>? selector, Dictionary<string, string> templateLabels)
    {
        var spec = new JsonObject { ["replicas"] = replicas, ["template"] = Template(templateLabels) };
        if (selector != null) spec["selector"] = Map(selector);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ReplicationController",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = spec,
        };
    }

    public static JsonObject Template(Dictionary<string, string> labels) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = Map(labels) },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx:1.27" }),
        },
    };

    /// <summary>A pod nobody owns, as a user would create it.</summary>
    public static JsonObject OrphanPod(string name, Dictionary<string, string> labels) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = Map(labels) },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx:1.27" }),
        },
    };

    public static JsonObject Map(Dictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map) o[k] = v;
        return o;
    }

    public static async Task<List<JsonObject>> PodsAsync(TestCluster cluster) =>
        (await cluster.Client.ListAsync(Kinds.Pod, Ns)).Items.ToList();

    /// <summary>Pods whose controller is <paramref name="owner"/> (by uid).</summary>
    public static async Task<List<JsonObject>> OwnedPodsAsync(TestCluster cluster, JsonObject owner) =>
        (await PodsAsync(cluster)).Where(p => OwnerReferences.ControllerOf(p)?.Str("uid") == owner.Uid()).ToList();

    public static async Task<List<JsonObject>> ActiveOwnedPodsAsync(TestCluster cluster, JsonObject owner) =>
        (await OwnedPodsAsync(cluster, owner)).Where(PodStatus.IsActive).ToList();

    public static async Task<JsonObject> GetAsync(TestCluster cluster, ResourceKind kind, string name) =>
        await cluster.Client.GetAsync(kind, Ns, name) ?? throw new Xunit.Sdk.XunitException($"{kind.Plural}/{name} is gone");

    /// <summary>What the kubelet would report: Running, and Ready since now (the manual clock).</summary>
    public static async Task MakeReadyAsync(TestCluster cluster, JsonObject pod)
    {
        var current = await GetAsync(cluster, Kinds.Pod, pod.Name()!);
        var now = cluster.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        current["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = now,
            }),
        };
        await cluster.Client.UpdateStatusAsync(Kinds.Pod, current);
    }

    public static async Task SetPhaseAsync(TestCluster cluster, JsonObject pod, string phase)
    {
        var current = await GetAsync(cluster, Kinds.Pod, pod.Name()!);
        current["status"] = new JsonObject { ["phase"] = phase };
        await cluster.Client.UpdateStatusAsync(Kinds.Pod, current);
    }

    /// <summary>Changes spec.replicas (a spec change: the generation goes up).</summary>
    public static async Task ScaleAsync(TestCluster cluster, ResourceKind kind, string name, int replicas) =>
        await cluster.Client.PatchAsync(kind, Ns, name, PatchType.Merge, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } });

    public static async Task<List<JsonObject>> EventsAsync(TestCluster cluster, string reason) =>
        (await cluster.Client.ListAsync(Kinds.Event, Ns)).Items.Where(e => e.Str("reason") == reason).ToList();

    public static long Status(JsonObject owner, string field) => owner["status"].Long(field) ?? 0;

    /// <summary>
    /// Polls like <see cref="TestCluster.EventuallyAsync"/> and moves the manual clock a little on every round, so that
    /// rate-limited retries (which wait on that clock) come due.
    /// </summary>
    public static Task EventuallyAdvancingAsync(TestCluster cluster, Func<Task<bool>> condition, string because, TimeSpan? step = null) =>
        TestCluster.EventuallyAsync(async () =>
        {
            if (await condition()) return true;
            cluster.Time.Advance(step ?? TimeSpan.FromMilliseconds(200));
            return false;
        }, because);

    /// <summary>Lets the controller run for a while and checks that the condition holds throughout.</summary>
    public static async Task StaysAsync(Func<Task<bool>> condition, string because, int forMs = 500)
    {
        var until = DateTime.UtcNow.AddMilliseconds(forMs);
        while (DateTime.UtcNow < until)
        {
            Assert.True(await condition(), because);
            await Task.Delay(25);
        }
    }
}
