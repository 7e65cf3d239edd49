using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Nodes;

/// <summary>
/// Notices lost nodes and moves their pods away, as upstream's node lifecycle and taint eviction controllers.
/// Keyed by node name; a sync:
/// <list type="number">
/// <item>records the node's heartbeat (its Lease's renewTime in kube-node-lease, and the Ready condition's
///   lastHeartbeatTime) and when it last changed, on this controller's clock;</item>
/// <item>once no heartbeat changed for the grace period, sets Ready, MemoryPressure, DiskPressure and PIDPressure to
///   Unknown ("Kubelet stopped posting node status.");</item>
/// <item>taints the node after its Ready condition: Unknown → node.kubernetes.io/unreachable, False →
///   node.kubernetes.io/not-ready, both NoSchedule and NoExecute with timeAdded; True → neither;</item>
/// <item>on a node that is not ready, marks its pods Ready=False at once (endpoints drop them);</item>
/// <item>evicts pods whose NoExecute taints they do not tolerate (<see cref="TaintEviction"/>): on an unreachable
///   node nobody can finish a graceful deletion, so the pods are deleted with grace 0 and their controllers replace
///   them elsewhere; on a reachable node the deletion is graceful;</item>
/// <item>re-queues itself for the next deadline (grace expiry or eviction).</item>
/// </list>
/// State survives restarts where it matters: taints carry their timeAdded, so a new instance evicts on schedule. A new
/// instance gives every node a fresh grace period, as upstream does.
/// </summary>
public sealed class NodeLifecycleController : QueueController
{
    private static readonly string[] MonitoredConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly NodeLifecycleOptions _options;
    private readonly Informer _nodes;
    private readonly Informer _leases;
    private readonly Informer _pods;
    private readonly ConcurrentDictionary<string, NodeHealth> _health = new(StringComparer.Ordinal);
    // Taints added by others may lack timeAdded: their eviction clock starts when this instance first saw them.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _taintFirstSeen = new(StringComparer.Ordinal);

    public NodeLifecycleController(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time,
        ILogger<NodeLifecycleController> log, NodeLifecycleOptions options)
        : base("node-lifecycle", time, log)
    {
        _client = client;
        _events = events;
        _options = options;
        _nodes = informers.For(Kinds.Node);
        _leases = informers.For(Kinds.Lease);
        _pods = informers.For(Kinds.Pod);
        _nodes.AddHandler(InformerHandler.Any(n => Queue.Add(n.Name()!)));
        _leases.AddHandler(InformerHandler.Any(l =>
        {
            if (l.Namespace() == _options.LeaseNamespace && l.Name() is { } node) Queue.Add(node);
        }));
        _pods.AddHandler(InformerHandler.Any(p =>
        {
            if (p["spec"].Str("nodeName") is { Length: > 0 } node && NeedsPodWork(node)) Queue.Add(node);
        }));
    }

    public NodeLifecycleOptions Options => _options;

    /// <summary>The heartbeat last observed for a node (diagnostics and tests).</summary>
    public NodeHealth? HealthOf(string node) => _health.GetValueOrDefault(node);

    protected override IEnumerable<Informer> Informers => [_nodes, _leases, _pods];

    /// <summary>Pod changes matter only on nodes that are not ready, gone, or carry NoExecute taints.</summary>
    private bool NeedsPodWork(string nodeName)
    {
        if (_nodes.Get(nodeName) is not { } node) return false;
        return ReadyStatus(node) is "False" or "Unknown" || Taints.Of(node).Any(t => t.Str("effect") == Taints.NoExecute);
    }

    protected override async Task SyncAsync(string name, CancellationToken ct)
    {
        var node = _nodes.Get(name);
        if (node == null)
        {
            await ForgetNodeAsync(name, ct);
            return;
        }
        var now = Time.GetUtcNow();

        // 1. Heartbeat: any change of the Lease or of the Ready heartbeat restarts the grace period.
        var renew = _leases.Get(_options.LeaseNamespace, name)?["spec"].Str("renewTime");
        var ready = PodStatus.Condition(node, "Ready");
        var heartbeat = ready?.Str("lastHeartbeatTime");
        if (!_health.TryGetValue(name, out var health) || health.LeaseRenewTime != renew || health.ReadyHeartbeatTime != heartbeat)
        {
            health = new NodeHealth(renew, heartbeat, now);
            _health[name] = health;
        }

        // 2. Silence for the grace period: the node's conditions become Unknown.
        var grace = ready == null ? _options.NodeStartupGracePeriod : _options.NodeMonitorGracePeriod;
        var deadline = health.ObservedAt + grace;
        if (now >= deadline) node = await MarkUnknownAsync(node, now, ct);
        else Queue.AddAfter(name, deadline - now);

        // 3.-5. Taints follow the Ready condition; pods follow the taints.
        var readyStatus = ReadyStatus(node);
        node = await ReconcileTaintsAsync(node, readyStatus, now, ct);
        await ReconcilePodsAsync(node, readyStatus, now, ct);
    }

    private static string? ReadyStatus(JsonObject node) => PodStatus.Condition(node, "Ready")?.Str("status");

    private async Task<JsonObject> MarkUnknownAsync(JsonObject node, DateTimeOffset now, CancellationToken ct)
    {
        var name = node.Name()!;
        var wasReady = ReadyStatus(node);
        var updated = node.Clone();
        var status = updated.Obj("status");
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }
        var stamp = KubeTime.Format(now);
        var changed = false;
        foreach (var type in MonitoredConditions)
        {
            var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
            if (condition == null)
            {
                conditions.Add(new JsonObject
                {
                    ["type"] = type,
                    ["status"] = "Unknown",
                    ["lastHeartbeatTime"] = node["metadata"].Str("creationTimestamp"),
                    ["lastTransitionTime"] = stamp,
                    ["reason"] = "NodeStatusNeverUpdated",
                    ["message"] = "Kubelet never posted node status.",
                });
                changed = true;
            }
            else if (condition.Str("status") != "Unknown")
            {
                condition["status"] = "Unknown";
                condition["lastTransitionTime"] = stamp;
                condition["reason"] = "NodeStatusUnknown";
                condition["message"] = "Kubelet stopped posting node status.";
                changed = true;
            }
        }
        if (!changed) return node;
        var written = await _client.UpdateStatusAsync(Kinds.Node, updated, ct);
        Log.LogWarning("Node {Node} has not renewed its lease for {Grace}; Ready=Unknown", name, _options.NodeMonitorGracePeriod);
        if (wasReady != "Unknown")
            await _events.RecordAsync(written, EventRecorder.Normal, "NodeNotReady", $"Node {name} status is now: NodeNotReady", ct);
        return written;
    }

    private async Task<JsonObject> ReconcileTaintsAsync(JsonObject node, string? readyStatus, DateTimeOffset now, CancellationToken ct)
    {
        var wanted = readyStatus switch
        {
            "Unknown" => Taints.Unreachable,
            "False" => Taints.NotReady,
            _ => null,
        };
        var current = Taints.Of(node);
        var kept = new List<JsonNode>();
        var changed = false;
        foreach (var taint in current)
        {
            var key = taint.Str("key");
            if (Taints.IsNodeLifecycleKey(key) && key != wanted)
            {
                changed = true;
                continue;
            }
            kept.Add(taint.DeepClone());
        }
        if (wanted != null)
        {
            foreach (var effect in new[] { Taints.NoSchedule, Taints.NoExecute })
            {
                if (current.Any(t => t.Str("key") == wanted && t.Str("effect") == effect)) continue;
                kept.Add(new JsonObject { ["key"] = wanted, ["effect"] = effect, ["timeAdded"] = KubeTime.Format(now) });
                changed = true;
            }
        }
        if (!changed) return node;
        var updated = node.Clone();
        var spec = updated.Obj("spec");
        if (kept.Count == 0) spec.Remove("taints");
        else spec["taints"] = new JsonArray(kept.ToArray());
        var written = await _client.UpdateAsync(Kinds.Node, updated, ct);
        Log.LogInformation("Node {Node} (Ready={Ready}): lifecycle taints now {Taints}", node.Name(), readyStatus ?? "none", wanted ?? "none");
        return written;
    }

    private async Task ReconcilePodsAsync(JsonObject node, string? readyStatus, DateTimeOffset now, CancellationToken ct)
    {
        var name = node.Name()!;
        var notReady = readyStatus is "False" or "Unknown";
        var unreachable = readyStatus == "Unknown";
        var noExecute = Taints.Of(node).Where(t => t.Str("effect") == Taints.NoExecute).ToList();
        if (!notReady && noExecute.Count == 0) return;

        DateTimeOffset? next = null;
        foreach (var pod in _pods.List().Where(p => p["spec"].Str("nodeName") == name))
        {
            if (PodStatus.Phase(pod) is "Succeeded" or "Failed") continue;
            if (notReady) await MarkPodNotReadyAsync(pod, name, readyStatus!, now, ct);

            var evictAt = TaintEviction.EvictionTime(pod, noExecute, _options.PodEvictionTimeout, t => AddedAt(name, t, now));
            if (evictAt is not { } at) continue;
            if (PodStatus.IsTerminating(pod))
            {
                // Already being deleted gracefully. A reachable node finishes that itself; an unreachable one cannot.
                if (!unreachable) continue;
                var graceEnds = KubeTime.Parse(pod["metadata"].Str("deletionTimestamp")) ?? now;
                if (graceEnds > at) at = graceEnds;
            }
            if (now >= at) await EvictAsync(pod, force: unreachable, ct);
            else if (next == null || at < next) next = at;
        }
        if (next is { } due) Queue.AddAfter(name, due - now);
    }

    private DateTimeOffset AddedAt(string node, JsonObject taint, DateTimeOffset now) =>
        KubeTime.Parse(taint.Str("timeAdded"))
        ?? _taintFirstSeen.GetOrAdd($"{node}|{taint.Str("key")}|{taint.Str("value")}|{taint.Str("effect")}", now);

    private async Task MarkPodNotReadyAsync(JsonObject pod, string node, string readyStatus, DateTimeOffset now, CancellationToken ct)
    {
        if (PodStatus.Condition(pod, "Ready") is not { } ready || ready.Str("status") == "False") return;
        var updated = pod.Clone();
        var condition = PodStatus.Condition(updated, "Ready")!;
        condition["status"] = "False";
        condition["lastTransitionTime"] = KubeTime.Format(now);
        condition["reason"] = readyStatus == "Unknown" ? "NodeLost" : "NodeNotReady";
        condition["message"] = readyStatus == "Unknown"
            ? $"Node {node} which was running pod {pod.Name()} is unresponsive"
            : $"Node {node} is not ready";
        try
        {
            await _client.UpdateStatusAsync(Kinds.Pod, updated, ct);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return;
        }
        await _events.RecordAsync(pod, EventRecorder.Warning, "NodeNotReady", "Node is not ready", ct);
    }

    private async Task EvictAsync(JsonObject pod, bool force, CancellationToken ct)
    {
        var key = Informer.KeyOf(pod);
        if (!PodStatus.IsTerminating(pod))
            await _events.RecordAsync(pod, EventRecorder.Normal, "TaintManagerEviction", $"Marking for deletion Pod {key}", ct);
        try
        {
            await _client.DeleteAsync(Kinds.Pod, pod.Namespace(), pod.Name()!, new DeleteRequest(null, force ? 0 : null, pod.Uid()), ct);
            Log.LogInformation("Evicted pod {Pod} from node {Node}{How}", key, pod["spec"].Str("nodeName"), force ? " (forced: the node is unreachable)" : "");
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
        }
    }

    /// <summary>
    /// A deleted node's pods can never be confirmed by it: once the server agrees the node is gone, they are deleted
    /// with grace 0 (upstream's pod GC of orphaned pods), and their controllers replace them.
    /// </summary>
    private async Task ForgetNodeAsync(string name, CancellationToken ct)
    {
        _health.TryRemove(name, out _);
        foreach (var key in _taintFirstSeen.Keys.Where(k => k.StartsWith(name + "|", StringComparison.Ordinal)).ToList())
            _taintFirstSeen.TryRemove(key, out _);
        var pods = _pods.List().Where(p => p["spec"].Str("nodeName") == name).ToList();
        if (pods.Count == 0 || await _client.GetAsync(Kinds.Node, null, name, ct) != null) return;
        foreach (var pod in pods) await EvictAsync(pod, force: true, ct);
    }

}
