using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// Binds pending pods to nodes. One worker runs scheduling cycles one pod at a time, so that every cycle sees the
/// placements of the cycles before it:
/// <list type="number">
/// <item>pods that are Pending, unbound, not being deleted and addressed to us (schedulerName empty or
///   default-scheduler) are queued by key; pods the user bound themselves (spec.nodeName) are never touched;</item>
/// <item>a cycle snapshots nodes and pods from the informer caches plus the <em>assumed</em> pods — those this
///   scheduler bound whose binding the pod cache has not shown yet — so a burst of pods does not pile onto the node
///   that looked emptiest before the first binding came back;</item>
/// <item>the chosen node gets a pods/binding and a Scheduled event; when no node fits, the pod gets
///   PodScheduled=False/Unschedulable with the per-reason message and a FailedScheduling event, and waits in the
///   unschedulable set until a node changes, a pod goes away, or <see cref="RetryInterval"/> passes.</item>
/// </list>
/// </summary>
public sealed class Scheduler : QueueController, IController
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    /// <summary>An assumed binding the cache never confirms (the pod vanished unseen) is forgotten after this.</summary>
    private static readonly TimeSpan AssumeExpiry = TimeSpan.FromMinutes(2);

    private readonly Informer _pods;
    private readonly Informer _nodes;
    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly SchedulingAlgorithm _algorithm;
    private readonly ConcurrentDictionary<string, AssumedPod> _assumed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unschedulable = new(StringComparer.Ordinal);
    private readonly PodInfoCache _podInfos = new();

    private sealed record AssumedPod(JsonObject Pod, string? Uid, DateTimeOffset At);

    public Scheduler(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<Scheduler> log, SchedulerProfile? profile = null)
        : base("scheduler", time, log, workers: 1)
    {
        _client = client;
        _events = events;
        _algorithm = new SchedulingAlgorithm(profile ?? SchedulerProfile.Default());
        _pods = informers.For(Kinds.Pod);
        _nodes = informers.For(Kinds.Node);
        _pods.AddHandler(new InformerHandler(OnPodAdded, OnPodUpdated, OnPodDeleted));
        _nodes.AddHandler(new InformerHandler(_ => RequeueUnschedulable(), OnNodeUpdated, null));
    }

    protected override IEnumerable<Informer> Informers => [_pods, _nodes];

    /// <summary>How many pods wait for a node to fit them (for tests and metrics).</summary>
    public int UnschedulableCount => _unschedulable.Count;

    public new async Task RunAsync(CancellationToken ct)
    {
        // Periodic retry: a pod may fit again for reasons no watched event announces (a lease-only node recovery).
        using var retry = Time.CreateTimer(_ => RequeueUnschedulable(), null, RetryInterval, RetryInterval);
        await base.RunAsync(ct);
    }

    public static bool NeedsScheduling(JsonObject pod) =>
        !PodStatus.IsScheduled(pod) &&
        !PodStatus.IsTerminating(pod) &&
        PodStatus.Phase(pod) is not ("Succeeded" or "Failed") &&
        pod["spec"].Str("schedulerName") is null or "" or SchedulerProfile.DefaultSchedulerName;

    private void OnPodAdded(JsonObject pod)
    {
        var key = Informer.KeyOf(pod);
        if (PodStatus.IsScheduled(pod)) _assumed.TryRemove(key, out _);
        if (NeedsScheduling(pod)) Queue.Add(key);
    }

    private void OnPodUpdated(JsonObject old, JsonObject pod)
    {
        var key = Informer.KeyOf(pod);
        if (PodStatus.IsScheduled(pod)) _assumed.TryRemove(key, out _);
        // A pod that finished frees its node's resources and ports.
        if (PodStatus.IsScheduled(pod) && PodStatus.Phase(pod) is "Succeeded" or "Failed" && PodStatus.Phase(old) is not ("Succeeded" or "Failed"))
            RequeueUnschedulable();
        if (!NeedsScheduling(pod))
        {
            _unschedulable.TryRemove(key, out _);
            return;
        }
        // Our own status write on an unschedulable pod comes back here: only a changed spec makes it worth a new
        // cycle; otherwise it waits for the cluster to change.
        if (!_unschedulable.ContainsKey(key) || !JsonNode.DeepEquals(old["spec"], pod["spec"])) Queue.Add(key);
    }

    private void OnPodDeleted(JsonObject pod)
    {
        var key = Informer.KeyOf(pod);
        _assumed.TryRemove(key, out _);
        _unschedulable.TryRemove(key, out _);
        if (PodStatus.IsScheduled(pod)) RequeueUnschedulable();
    }

    private void OnNodeUpdated(JsonObject old, JsonObject node)
    {
        // Heartbeats change nothing a filter reads; only requeue for changes that may let a pod fit.
        if (!JsonNode.DeepEquals(old["spec"], node["spec"]) ||
            !JsonNode.DeepEquals(old["metadata"]?["labels"], node["metadata"]?["labels"]) ||
            !JsonNode.DeepEquals(old["status"]?["allocatable"], node["status"]?["allocatable"]) ||
            ReadyStatus(old) != ReadyStatus(node))
            RequeueUnschedulable();
    }

    private static string? ReadyStatus(JsonObject node) =>
        (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Ready")?.Str("status");

    private void RequeueUnschedulable()
    {
        foreach (var key in _unschedulable.Keys) Queue.Add(key);
    }

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        var pod = _pods.Get(key);
        if (pod == null || !NeedsScheduling(pod))
        {
            _unschedulable.TryRemove(key, out _);
            return;
        }
        var now = Time.GetUtcNow();
        if (_assumed.TryGetValue(key, out var assumed))
        {
            if (assumed.Uid == pod.Uid() && now - assumed.At < AssumeExpiry) return; // bound; the cache lags behind
            _assumed.TryRemove(key, out _);
        }
        foreach (var (k, a) in _assumed)
            if (now - a.At >= AssumeExpiry) _assumed.TryRemove(k, out _);

        var nodes = SchedulingAlgorithm.Snapshot(_nodes.List(), _pods.List(), _assumed.Values.Select(a => a.Pod), _podInfos);
        var result = _algorithm.Schedule(pod, nodes);
        if (result.Node is { } node) await BindAsync(key, pod, node, now, ct);
        else await MarkUnschedulableAsync(key, pod, result, ct);
    }

    private async Task BindAsync(string key, JsonObject pod, string node, DateTimeOffset now, CancellationToken ct)
    {
        var ns = pod.Namespace() ?? "default";
        var name = pod.Name() ?? "";
        var placed = pod.Clone();
        placed.Obj("spec")["nodeName"] = node;
        _assumed[key] = new AssumedPod(placed, pod.Uid(), now);
        try
        {
            await _client.BindAsync(ns, name, node, ct);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone, being deleted, or bound by someone else: the pod informer brings whatever happened.
            _assumed.TryRemove(key, out _);
            Log.LogDebug("Binding {Pod} to {Node} refused: {Message}", key, node, e.Message);
            return;
        }
        catch
        {
            _assumed.TryRemove(key, out _);
            throw;
        }
        _unschedulable.TryRemove(key, out _);
        Log.LogDebug("Bound {Pod} to {Node}", key, node);
        await _events.RecordAsync(pod, EventRecorder.Normal, "Scheduled", $"Successfully assigned {ns}/{name} to {node}", ct);
    }

    private async Task MarkUnschedulableAsync(string key, JsonObject pod, ScheduleResult result, CancellationToken ct)
    {
        // Into the set before the status write, so that the write's own watch event does not start another cycle.
        _unschedulable[key] = 0;
        var message = result.FailureMessage();
        var current = PodStatus.Condition(pod, "PodScheduled");
        if (current?.Str("status") != "False" || current.Str("reason") != "Unschedulable" || current.Str("message") != message)
        {
            var updated = pod.Clone();
            var status = updated.Obj("status");
            status["phase"] ??= "Pending";
            var conditions = status["conditions"] as JsonArray ?? [];
            var previous = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "PodScheduled");
            var since = previous?.Str("status") == "False" ? previous.Str("lastTransitionTime") : null;
            if (previous != null) conditions.Remove(previous);
            conditions.Add(new JsonObject
            {
                ["type"] = "PodScheduled",
                ["status"] = "False",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = since ?? KubeTime.Format(Time.GetUtcNow()),
                ["reason"] = "Unschedulable",
                ["message"] = message,
            });
            status["conditions"] = conditions;
            try
            {
                await _client.UpdateStatusAsync(Kinds.Pod, updated, ct);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                _unschedulable.TryRemove(key, out _);
                return;
            }
            // A 409 propagates: the queue retries with the fresh pod.
        }
        Log.LogDebug("{Pod} is unschedulable: {Message}", key, message);
        await _events.RecordAsync(pod, EventRecorder.Warning, "FailedScheduling", message, ct);
    }

}
