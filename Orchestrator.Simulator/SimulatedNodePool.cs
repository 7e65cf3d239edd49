using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Simulator;

/// <summary>
/// N simulated nodes (KWOK-like) driven through any <see cref="IKubeClient"/>: the console program runs it over
/// HTTPS, tests run it in-process. Nothing is executed; the pool only posts what a kubelet would:
/// <list type="number">
/// <item>registers each Node (created if missing, status re-posted with a Ready heartbeat, again whenever someone
///   else marks it not Ready, and every <see cref="SimulatorOptions.StatusInterval"/>);</item>
/// <item>renews each node's Lease in kube-node-lease every <see cref="SimulatorOptions.LeaseInterval"/>, which is
///   what the node lifecycle controller watches;</item>
/// <item>moves pods bound to its nodes Pending → Running after the startup delay (pod IP from the node's pod CIDR),
///   Ready after the ready delay, Succeeded/Failed when annotated with <see cref="ExitAfterAnnotation"/> /
///   <see cref="ExitCodeAnnotation"/>, and confirms deletions of terminating pods with a grace-0 delete.</item>
/// </list>
/// Level-triggered like the controllers: each step re-reads the pod from the cache and does what its state calls
/// for, so a restarted pool picks up where the last one stopped.
/// </summary>
public sealed class SimulatedNodePool : IDisposable
{
    public const string ExitAfterAnnotation = "sim.orchestrator/exit-after";

    /// <summary>Per-pod ready delay, standing in for a readiness probe that starts passing after that long.</summary>
    public const string ReadyAfterAnnotation = "sim.orchestrator/ready-after";
    public const string ExitCodeAnnotation = "sim.orchestrator/exit-code";

    private readonly IKubeClient _client;
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly Dictionary<string, SimulatedNode> _nodes;
    private readonly WorkQueue<string> _podQueue;
    private readonly WorkQueue<string> _nodeQueue;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _firstSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Node, string Ip)> _ips = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _leases = new(StringComparer.Ordinal);
    private readonly object _ipGate = new();
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Informer? _pods;
    private Informer? _nodeInformer;

    public SimulatedNodePool(IKubeClient client, SimulatorOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        options.Validate();
        _client = client;
        _options = options;
        _time = time;
        _loggers = loggers;
        _log = loggers.CreateLogger<SimulatedNodePool>();
        _nodes = Enumerable.Range(0, options.NodeCount)
            .Select(i => new SimulatedNode(options.NamePrefix + i.ToString(CultureInfo.InvariantCulture), i))
            .ToDictionary(n => n.Name, StringComparer.Ordinal);
        _podQueue = new WorkQueue<string>(time);
        _nodeQueue = new WorkQueue<string>(time);
    }

    public IReadOnlyCollection<SimulatedNode> Nodes => _nodes.Values;

    /// <summary>Completes once every node is registered and the caches have synced.</summary>
    public Task WaitForRegistrationAsync(CancellationToken ct) => _registered.Task.WaitAsync(ct);

    public async Task RunAsync(CancellationToken ct)
    {
        // 1. Register every node before anything can be scheduled onto it.
        foreach (var node in _nodes.Values)
            await RetryAsync(() => SyncNodeAsync(node.Name, ct), $"register node {node.Name}", ct);

        // 2. Watch pods (to run them) and nodes (to answer a Ready flip by someone else).
        var informers = new InformerFactory(_client, _time, _loggers);
        _pods = informers.For(Kinds.Pod);
        _nodeInformer = informers.For(Kinds.Node);
        _pods.AddHandler(new InformerHandler(OnPod, (_, p) => OnPod(p), OnPodDeleted));
        _nodeInformer.AddHandler(new InformerHandler(OnNode, (_, n) => OnNode(n), n =>
        {
            if (n.Name() is { } name && _nodes.ContainsKey(name)) _nodeQueue.Add(name);
        }));
        informers.Start(ct);
        await informers.WaitForSyncAsync(ct);
        _registered.TrySetResult();
        _log.LogInformation("{Count} simulated nodes registered ({First} … {Last})", _nodes.Count, _nodes.Keys.First(), _nodes.Keys.Last());

        // 3. Loops: leases, periodic status, and the workers.
        var workers = Enumerable.Range(0, 4).Select(_ => WorkAsync(_podQueue, key => SyncPodAsync(key, ct), ct))
            .Append(WorkAsync(_nodeQueue, name => SyncNodeAsync(name, ct), ct));
        await Task.WhenAll(workers.Append(LeaseLoopAsync(ct)).Append(StatusLoopAsync(ct)));
    }

    // ---- nodes and leases --------------------------------------------------------------------------------------

    private void OnNode(JsonObject node)
    {
        if (node.Name() is not { } name || !_nodes.ContainsKey(name)) return;
        var ready = (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Ready");
        if (ready?.Str("status") != "True") _nodeQueue.Add(name);
    }

    /// <summary>Creates the node when missing and posts its status with a fresh heartbeat.</summary>
    private async Task SyncNodeAsync(string name, CancellationToken ct)
    {
        var sim = _nodes[name];
        var current = await _client.GetAsync(Kinds.Node, null, name, ct);
        if (current == null)
        {
            try
            {
                current = await _client.CreateAsync(Kinds.Node, null, sim.NewNode(_options), ct);
                _log.LogInformation("Registered simulated node {Node}", name);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                current = await _client.GetAsync(Kinds.Node, null, name, ct) ?? throw new InvalidOperationException($"node {name} exists and yet cannot be read");
            }
        }
        sim.Uid = current.Uid();
        sim.AdoptPodCidr(current["spec"].Str("podCIDR"));
        var updated = current.Clone();
        updated["status"] = sim.Status(_options, _time.GetUtcNow(), current["status"] as JsonObject);
        await _client.UpdateStatusAsync(Kinds.Node, updated, ct);
    }

    private async Task StatusLoopAsync(CancellationToken ct)
    {
        while (await DelayAsync(_options.StatusInterval, ct))
            foreach (var name in _nodes.Keys) _nodeQueue.Add(name);
    }

    private async Task LeaseLoopAsync(CancellationToken ct)
    {
        do
        {
            foreach (var node in _nodes.Values)
            {
                try
                {
                    await RenewLeaseAsync(node, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _leases.TryRemove(node.Name, out _);
                    _log.LogWarning("Renewing the lease of {Node} failed: {Message}", node.Name, e.Message);
                }
            }
        }
        while (await DelayAsync(_options.LeaseInterval, ct));
    }

    private async Task RenewLeaseAsync(SimulatedNode node, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var wanted = node.NewLease(_options, now);
        if (_leases.TryGetValue(node.Name, out var last))
        {
            var renewed = last.Clone();
            renewed["spec"] = wanted["spec"]!.DeepClone();
            try
            {
                _leases[node.Name] = await _client.UpdateAsync(Kinds.Lease, renewed, ct);
                return;
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                // Someone else wrote or removed it: fall through to a fresh read.
            }
        }
        var existing = await _client.GetAsync(Kinds.Lease, "kube-node-lease", node.Name, ct);
        if (existing == null)
        {
            _leases[node.Name] = await _client.CreateAsync(Kinds.Lease, "kube-node-lease", wanted, ct);
            return;
        }
        existing["spec"] = wanted["spec"]!.DeepClone();
        _leases[node.Name] = await _client.UpdateAsync(Kinds.Lease, existing, ct);
    }

    // ---- pods --------------------------------------------------------------------------------------------------

    private void OnPod(JsonObject pod)
    {
        if (pod["spec"].Str("nodeName") is { } node && _nodes.ContainsKey(node)) _podQueue.Add(Informer.KeyOf(pod));
    }

    private void OnPodDeleted(JsonObject pod)
    {
        if (pod.Uid() is not { } uid) return;
        _firstSeen.TryRemove(uid, out _);
        lock (_ipGate) _ips.TryRemove(uid, out _);
    }

    private async Task SyncPodAsync(string key, CancellationToken ct)
    {
        var pod = _pods!.Get(key);
        if (pod == null || pod["spec"].Str("nodeName") is not { } nodeName || !_nodes.TryGetValue(nodeName, out var node)) return;
        var ns = pod.Namespace() ?? "default";
        var name = pod.Name() ?? "";
        var uid = pod.Uid() ?? "";
        var now = _time.GetUtcNow();

        // A kubelet confirms a graceful deletion once its containers are gone; ours have nothing to stop.
        if (PodStatus.IsTerminating(pod))
        {
            try
            {
                await _client.DeleteAsync(Kinds.Pod, ns, name, new DeleteRequest(GracePeriodSeconds: 0, PreconditionUid: uid), ct);
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
            }
            return;
        }

        var phase = PodStatus.Phase(pod);
        if (phase is "Succeeded" or "Failed") return;

        if (phase != "Running")
        {
            var startAt = _firstSeen.GetOrAdd(uid, now) + _options.StartupDelay;
            if (now < startAt)
            {
                _podQueue.AddAfter(key, startAt - now);
                return;
            }
            var ip = AllocateIp(pod, node);
            await WriteStatusAsync(pod, SimulatedPodStatus.Running(pod, node, ip, now, ready: ReadyDelayOf(pod) <= TimeSpan.Zero), ct);
            return; // the update comes back through the informer for the next step
        }

        var started = KubeTime.Parse(pod["status"].Str("startTime")) ?? now;
        if (ExitPlan(pod) is { } exit)
        {
            var exitAt = started + exit.After;
            if (now >= exitAt)
            {
                await WriteStatusAsync(pod, SimulatedPodStatus.Finished(pod, exit.Code, now), ct);
                return;
            }
            _podQueue.AddAfter(key, exitAt - now);
        }
        if (!PodStatus.IsReady(pod))
        {
            var readyAt = started + ReadyDelayOf(pod);
            if (now >= readyAt) await WriteStatusAsync(pod, SimulatedPodStatus.MarkReady(pod, now), ct);
            else _podQueue.AddAfter(key, readyAt - now);
        }
    }

    private TimeSpan ReadyDelayOf(JsonObject pod) =>
        pod.Annotations().TryGetValue(ReadyAfterAnnotation, out var text) && Durations.TryParse(text, out var d) ? d : _options.ReadyDelay;

    /// <summary>
    /// When a pod's containers "exit": only pods that do not restart them (restartPolicy Never or OnFailure) and
    /// carry an exit annotation. An exit code alone exits at once.
    /// </summary>
    private static (TimeSpan After, int Code)? ExitPlan(JsonObject pod)
    {
        if (pod["spec"].Str("restartPolicy") is not ("Never" or "OnFailure")) return null;
        var annotations = pod.Annotations();
        var hasAfter = annotations.TryGetValue(ExitAfterAnnotation, out var afterText);
        var hasCode = annotations.TryGetValue(ExitCodeAnnotation, out var codeText);
        if (!hasAfter && !hasCode) return null;
        var after = hasAfter && Durations.TryParse(afterText, out var d) ? d : TimeSpan.Zero;
        var code = hasCode && int.TryParse(codeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : 0;
        return (after, code);
    }

    private async Task WriteStatusAsync(JsonObject pod, JsonObject status, CancellationToken ct)
    {
        var updated = pod.Clone();
        updated["status"] = status;
        try
        {
            await _client.UpdateStatusAsync(Kinds.Pod, updated, ct);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone, or our cached copy is stale: the informer delivers the newer version, which queues the pod again.
        }
    }

    /// <summary>
    /// The pod keeps an IP it already has; otherwise it gets the lowest free host (.2–.254; .1 is the gateway) of
    /// the node's /24 not held by a running pod of that node or handed out and not yet seen in the cache.
    /// </summary>
    private string AllocateIp(JsonObject pod, SimulatedNode node)
    {
        var uid = pod.Uid() ?? "";
        if (pod["status"].Str("podIP") is { Length: > 0 } existing) return existing;
        lock (_ipGate)
        {
            if (_ips.TryGetValue(uid, out var held) && held.Node == node.Name) return held.Ip;
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in _pods!.List())
                if (p["spec"].Str("nodeName") == node.Name && p.Uid() != uid && PodStatus.IsActive(p) && p["status"].Str("podIP") is { } ip)
                    used.Add(ip);
            foreach (var (otherUid, (n, ip)) in _ips)
                if (n == node.Name && otherUid != uid) used.Add(ip);
            for (var host = 2; host < 255; host++)
            {
                var candidate = $"{node.PodNetwork}.{host}";
                if (used.Contains(candidate)) continue;
                _ips[uid] = (node.Name, candidate);
                return candidate;
            }
        }
        throw new InvalidOperationException($"node {node.Name} has no free pod IP in {node.PodCidr}");
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private async Task WorkAsync(WorkQueue<string> queue, Func<string, Task> sync, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await queue.GetAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }
            try
            {
                await sync(key);
                queue.Forget(key);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (queue.NumRequeues(key) < 10)
                {
                    _log.LogDebug("Simulating {Key} failed ({Message}); retrying", key, e.Message);
                    queue.AddRateLimited(key);
                }
                else
                {
                    _log.LogWarning("Giving up on {Key} for now: {Message}", key, e.Message);
                    queue.Forget(key);
                }
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    private async Task RetryAsync(Func<Task> action, string what, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogWarning("Could not {What}: {Message}; retrying in {Delay}", what, e.Message, delay);
                if (!await DelayAsync(delay, ct)) ct.ThrowIfCancellationRequested();
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _time, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _podQueue.Dispose();
        _nodeQueue.Dispose();
    }
}
