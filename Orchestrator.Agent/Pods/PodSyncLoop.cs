using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// Runs the pods bound to this node. Level-triggered: every trigger only queues a pod uid, and
/// <see cref="PodWorker.SyncAsync"/> re-reads the pod and its containers and converges. Triggers:
/// <list type="bullet">
/// <item>the pod informer (<c>spec.nodeName=NODE</c>): added, changed, deleted;</item>
/// <item>Docker events of our containers on this node (die, oom, destroy): a container exited;</item>
/// <item>the probe manager: readiness/started changed (status), liveness/startup failed (kill); failed probe runs
/// become Unhealthy events;</item>
/// <item>a resync every <see cref="PodSyncOptions.ResyncInterval"/> of every pod of the node and every pod uid
/// that has containers in Docker (orphans included), so any state converges without an edge;</item>
/// <item>the worker itself asking to be called back (a back-off ending).</item>
/// </list>
/// The work queue never hands one uid to two workers at once; <see cref="PodSyncOptions.MaxParallelSyncs"/>
/// workers sync different pods in parallel. Nothing is synced before the informer has listed the node's pods.
/// </summary>
public sealed class PodSyncLoop(
    IKubeClient client,
    DockerClient docker,
    PodWorker worker,
    PodContainerObserver observer,
    NodePodIndex index,
    IProbeManager probes,
    PodEvents events,
    NodeIdentity identity,
    IOptions<PodSyncOptions> options,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private static readonly string[] ExitActions = ["die", "oom", "destroy"];

    private readonly ILogger _log = loggers.CreateLogger<PodSyncLoop>();

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            _log.LogWarning("Pod sync is disabled (PodSync:Enabled=false): this node runs no pods and leaves every container alone");
            return;
        }
        using var queue = new WorkQueue<string>(time);
        var informer = new Informer(client, Kinds.Pod, time, loggers.CreateLogger<Informer>(),
            fieldSelector: "spec.nodeName=" + identity.Name);
        informer.AddHandler(new InformerHandler(
            onAdd: pod => Upsert(queue, pod),
            onUpdate: (old, pod) =>
            {
                if (old.Uid() != pod.Uid()) Remove(queue, old);
                Upsert(queue, pod);
            },
            onDelete: pod => Remove(queue, pod)));
        probes.Changed += uid => queue.Add(uid);
        probes.Unhealthy += (target, message) =>
        {
            worker.RequestKill(target.PodUid, target.ContainerId, message);
            queue.Add(target.PodUid);
        };
        // As the kubelet's prober: every failed run is a Warning event on the pod (repeats are aggregated).
        probes.Probed += report =>
        {
            if (report.EventMessage is { } message && index.Get(report.Target.PodUid) is { } pod)
                events.Warning(pod, report.Result.Outcome == ProbeOutcome.Warning ? "ProbeWarning" : "Unhealthy", message);
        };

        var informerTask = informer.RunAsync(ct);
        try
        {
            await informer.WaitForSyncAsync(ct);
        }
        catch (OperationCanceledException)
        {
            await informerTask;
            return;
        }
        index.MarkSynced();
        _log.LogInformation("Pod informer synced for node {Node}: {Count} pod(s)", identity.Name, index.Uids.Count);

        var tasks = new List<Task> { informerTask, WatchDockerAsync(queue, ct), ResyncAsync(queue, ct) };
        for (var i = 0; i < Math.Max(1, options.Value.MaxParallelSyncs); i++)
            tasks.Add(WorkAsync(queue, ct));
        await Task.WhenAll(tasks);
    }

    private void Upsert(WorkQueue<string> queue, JsonObject pod)
    {
        index.Upsert(pod);
        if (pod.Uid() is { Length: > 0 } uid) queue.Add(uid);
    }

    private void Remove(WorkQueue<string> queue, JsonObject pod)
    {
        index.Remove(pod);
        if (pod.Uid() is { Length: > 0 } uid) queue.Add(uid);
    }

    private async Task WorkAsync(WorkQueue<string> queue, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string uid;
            try
            {
                uid = await queue.GetAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }
            try
            {
                var again = await worker.SyncAsync(uid, ct);
                queue.Forget(uid);
                if (again is { } delay) queue.AddAfter(uid, delay);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var retries = queue.NumRequeues(uid);
                if (retries < 3)
                    _log.LogWarning("Sync of pod uid {Uid} failed: {Message}", uid, e.Message);
                else
                    _log.LogDebug(e, "Sync of pod uid {Uid} failed again", uid);
                queue.AddRateLimited(uid);
            }
            finally
            {
                queue.Done(uid);
            }
        }
    }

    /// <summary>Queues every pod of the node and every pod uid with containers in Docker, on a fixed period.</summary>
    private async Task ResyncAsync(WorkQueue<string> queue, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var uid in index.Uids) queue.Add(uid);
            try
            {
                foreach (var uid in await observer.ListPodUidsAsync(ct)) queue.Add(uid);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogDebug("Listing the node's containers failed: {Message}", e.Message);
            }
            try
            {
                await Task.Delay(options.Value.ResyncInterval, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Docker's event stream for our containers on this node: an exit queues its pod at once instead of at the next
    /// resync. A broken stream is reopened from the last event seen (and everything is resynced, in case).
    /// </summary>
    private async Task WatchDockerAsync(WorkQueue<string> queue, CancellationToken ct)
    {
        var filters = new Dictionary<string, IReadOnlyList<string>>
        {
            ["type"] = ["container"],
            ["label"] = [$"{PodContainerLabels.Managed}=true", $"{PodContainerLabels.Node}={identity.Name}"],
        };
        DateTimeOffset? since = null;
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in docker.GetEventsAsync(filters, since, null, ct))
                {
                    delay = TimeSpan.FromSeconds(1);
                    if (e.TimeNano > 0) since = DateTimeOffset.UnixEpoch.AddTicks(e.TimeNano / 100);
                    if (ExitActions.Contains(e.Action) && e.Actor?.Attributes?.GetValueOrDefault(PodContainerLabels.PodUid) is { Length: > 0 } uid)
                        queue.Add(uid);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogDebug("Docker event stream ended: {Message}", e.Message);
            }
            foreach (var uid in index.Uids) queue.Add(uid);
            try
            {
                await Task.Delay(delay, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }
}
