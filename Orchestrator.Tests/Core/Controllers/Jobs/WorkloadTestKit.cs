using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Jobs;

/// <summary>Objects and moves the workload controller tests share: nodes, faked pod progress, controller runs that can be stopped.</summary>
public static class WorkloadTestKit
{
    public const string Ns = "default";

    /// <summary>Starts a controller that can be stopped alone (a restart: stop it, start a new instance).</summary>
    public static CancellationTokenSource Start(TestCluster cluster, IController controller)
    {
        cluster.Informers.Start(cluster.Token);
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cluster.Token);
        _ = Task.Run(() => controller.RunAsync(cts.Token));
        return cts;
    }

    public static async Task<JsonObject> CreateNodeAsync(TestCluster cluster, string name, bool ready = true,
        IDictionary<string, string>? labels = null, JsonArray? taints = null)
    {
        var labelObj = new JsonObject { ["kubernetes.io/hostname"] = name };
        foreach (var (k, v) in labels ?? new Dictionary<string, string>()) labelObj[k] = v;
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labelObj },
            ["spec"] = taints == null ? new JsonObject() : new JsonObject { ["taints"] = taints },
        };
        var created = await cluster.Client.CreateAsync(Kinds.Node, null, node);
        created["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = ready ? "True" : "False",
                ["lastTransitionTime"] = "2026-11-22T00:00:00Z",
            }),
        };
        return await cluster.Client.UpdateStatusAsync(Kinds.Node, created);
    }

    public static async Task<List<JsonObject>> PodsAsync(TestCluster cluster, string? labelSelector = null) =>
        (await cluster.Client.ListAsync(Kinds.Pod, Ns, labelSelector)).Items.ToList();

    /// <summary>Fakes a kubelet: sets the pod's phase, and Ready with the clock's time when asked.</summary>
    public static async Task SetPodAsync(TestCluster cluster, string name, string phase, bool ready = false, int restarts = 0)
    {
        for (var attempt = 0; ; attempt++)
        {
            var pod = await cluster.Client.GetAsync(Kinds.Pod, Ns, name) ?? throw new InvalidOperationException($"no pod {name}");
            var stamp = cluster.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            pod["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = ready ? "True" : "False",
                    ["lastTransitionTime"] = stamp,
                }),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["restartCount"] = restarts,
                    ["ready"] = ready,
                    ["image"] = "busybox",
                    ["imageID"] = "",
                }),
            };
            try
            {
                await cluster.Client.UpdateStatusAsync(Kinds.Pod, pod);
                return;
            }
            catch (ApiException e) when (e.Code == 409 && attempt < 5)
            {
            }
        }
    }

    /// <summary>Read, change, write; again on 409 (the controllers write status concurrently).</summary>
    public static async Task<JsonObject> UpdateAsync(TestCluster cluster, ResourceKind kind, string? ns, string name, Action<JsonObject> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var obj = await cluster.Client.GetAsync(kind, ns, name) ?? throw new InvalidOperationException($"no {kind.Kind} {name}");
            change(obj);
            try
            {
                return await cluster.Client.UpdateAsync(kind, obj);
            }
            catch (ApiException e) when (e.Code == 409 && attempt < 10)
            {
            }
        }
    }

    public static async Task<List<JsonObject>> EventsAsync(TestCluster cluster, string involvedName) =>
        (await cluster.Client.ListAsync(Kinds.Event, Ns)).Items
            .Where(e => e["involvedObject"].Str("name") == involvedName).ToList();

    public static async Task<bool> HasEventAsync(TestCluster cluster, string involvedName, string reason) =>
        (await EventsAsync(cluster, involvedName)).Any(e => e.Str("reason") == reason);

    /// <summary>
    /// Polls like <see cref="TestCluster.EventuallyAsync"/> while nudging the clock 10 ms per poll, so that a sync
    /// retried after a failure (a 409 from a stale cache, say: the retry back-off runs on the manual clock) does run.
    /// </summary>
    public static Task EventuallyWithRetriesAsync(TestCluster cluster, Func<Task<bool>> condition, string because) =>
        TestCluster.EventuallyAsync(async () =>
        {
            if (await condition()) return true;
            cluster.Time.Advance(TimeSpan.FromMilliseconds(10));
            return false;
        }, because);

    public static JsonObject Container(string image = "busybox") => new()
    {
        ["name"] = "main",
        ["image"] = image,
    };
}
